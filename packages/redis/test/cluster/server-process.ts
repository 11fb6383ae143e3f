/**
 * One server process of the multi-process tests: node:http + toNodeListener
 * + the Redis run store, serving the shared workflows. Started by
 * cluster.ts as a child process (bundled with esbuild); prints
 * `listening <port>` when ready and exits on SIGTERM.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Cluster, Redis } from 'ioredis'
import { createWorkflowHandler, toNodeListener } from '@stepstream/server'
import { redisRunStore } from '@stepstream/redis'
import { clusterWorkflows } from './workflows.js'

const prefix = process.env.KEY_PREFIX!
// A Redis Cluster's nodes (JSON), or a single Redis's URL.
const clusterNodes = process.env.REDIS_CLUSTER_NODES
const redis = clusterNodes ? new Cluster(JSON.parse(clusterNodes) as Array<{ host: string; port: number }>) : new Redis(process.env.REDIS_URL!)
const store = redisRunStore({
  redis,
  keyPrefix: prefix,
  leaseTtl: Number(process.env.LEASE_TTL ?? 3_000),
  ...(process.env.RUN_TTL ? { ttl: Number(process.env.RUN_TTL) } : {}),
})
const handler = createWorkflowHandler({ workflows: clusterWorkflows(redis, prefix), runStore: store, heartbeatMs: 1_000 })
const server = createServer(toNodeListener(handler))
// Many concurrent keep-alive clients in the load test.
server.maxConnections = 10_000
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})

process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close()
  void store.close().then(() => redis.quit()).finally(() => process.exit(0))
})
