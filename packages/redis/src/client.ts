/**
 * The ioredis clients the store takes: a single node (`Redis`) or a Redis
 * Cluster (`Cluster`). Both speak the same commands; they differ in how a
 * blocking connection is made from them and where their key prefix lives.
 */
import type { Cluster, Redis } from 'ioredis'

export type RedisClient = Redis | Cluster

/**
 * A new connection (a cluster: a new cluster client) for blocking reads, with
 * `socketTimeout` on its sockets. A cluster client routes each command to the
 * node of its keys' slot over one connection per node, so a blocking read
 * would hold up every other command to that node: blocking reads never share
 * the store's client.
 */
export function blockingDuplicate(client: RedisClient, socketTimeout: number): RedisClient {
  if (!client.isCluster) return (client as Redis).duplicate({ socketTimeout })
  // A periodic slot refresh set on the given client (ioredis has none by
  // default) would run once per tailed slot; a MOVED reply or a lost node
  // still makes the duplicate refresh its slots and retry the read. The
  // ready check (CLUSTER INFO) would open and keep a second connection per
  // slot, to whichever node it asked; a cluster that is down answers the
  // read CLUSTERDOWN, which ioredis retries.
  return (client as Cluster).duplicate([], { slotsRefreshInterval: 0, enableReadyCheck: false, redisOptions: { socketTimeout } })
}

/** The prefix an ioredis client puts before every key it sends (its `keyPrefix`), `''` without one. */
export function clientKeyPrefixOf(client: RedisClient): string {
  return client.options.keyPrefix ?? ''
}
