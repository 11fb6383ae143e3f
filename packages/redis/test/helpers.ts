import type { RunRecord } from '@stepstream/server'
import { Cluster, Redis } from 'ioredis'
import { inject } from 'vitest'
import { redisRunStore, type RedisRunStore, type RedisRunStoreOptions } from '@stepstream/redis'
import type { ProcessRedis } from './cluster/cluster.js'
import { runKeys } from '../src/keys.js'
import { clusterGroups, singleNodeGroups } from '../src/tail-groups.js'

export const redisUrl = (): string => inject('redisUrl')

/** A store on the test redis-server under a prefix of its own, so tests never see each other's keys. */
export function testStore(options: Omit<RedisRunStoreOptions, 'url' | 'redis'> & { prefix?: string } = {}): RedisRunStore {
  return redisRunStore({ url: redisUrl(), keyPrefix: options.prefix ?? uniquePrefix(), ...options })
}

export function uniquePrefix(): string {
  return `t:${crypto.randomUUID().slice(0, 8)}:`
}

export function rawClient(): Redis {
  return new Redis(redisUrl())
}

export function record(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  const now = Date.now()
  return {
    runId,
    workflow: 'wf',
    status: 'running',
    inputFingerprint: 'fp',
    applied: [],
    segmentStarts: [0],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
}

/** Resolves once `check` is true, polling; fails the test after `timeoutMs` (a bound, not an assertion on time). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const clusterNodes = (): Array<{ host: string; port: number }> => inject('redisClusterNodes')

/** A client of the test cluster (each store of a test gets its own, as each process would). */
export function clusterClient(): Cluster {
  return new Cluster(clusterNodes())
}

/** Where a suite run on both puts its stores: the single test redis-server, or the test Redis Cluster. */
export interface Backend {
  name: 'single node' | 'cluster'
  /** A store under a prefix of its own unless given one; its `close()` also closes the client it was given. */
  store(options?: Omit<RedisRunStoreOptions, 'url' | 'redis'> & { prefix?: string }): RedisRunStore
  /** A raw client, to look at or write keys behind the store's back. */
  rawClient(): Redis | Cluster
  /** Where a server process (cluster/cluster.ts) puts its store. */
  processRedis(): ProcessRedis
}

export const singleNode: Backend = { name: 'single node', store: testStore, rawClient, processRedis: () => ({ redisUrl: redisUrl() }) }

export const cluster: Backend = {
  name: 'cluster',
  store(options = {}) {
    const client = clusterClient()
    const store = redisRunStore({ redis: client, keyPrefix: options.prefix ?? uniquePrefix(), ...options })
    return {
      ...store,
      async close() {
        await store.close()
        await client.quit().catch(() => {})
      },
    }
  },
  rawClient: clusterClient,
  processRedis: () => ({ clusterNodes: clusterNodes() }),
}

export const backends: Backend[] = [singleNode, cluster]

/**
 * The deletions stream every XREAD of `runId`'s live-tail lane names (its
 * slot's, on a cluster). Set to a plain string, it makes each of those reads
 * answer WRONGTYPE at once: a lane whose reads keep failing, which deleting
 * the key mends.
 */
export function laneDeletionsKey(backend: Backend['name'], prefix: string, runId: string): string {
  const groups = backend === 'cluster' ? clusterGroups(prefix, '', 'any') : singleNodeGroups(prefix, 'any')
  return groups.of(runKeys(prefix, runId).log).deletionsKey
}
