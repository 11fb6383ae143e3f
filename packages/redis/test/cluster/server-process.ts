/**
 * One server process of the multi-process tests: node:http + toNodeListener
 * + the Redis run store, serving the shared workflows. Started by
 * cluster.ts as a child process (bundled with esbuild); prints
 * `listening <port>` when ready and exits on SIGTERM.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { createWorkflowHandler, toNodeListener } from '@stepstream/server'
import { redisRunStore } from '@stepstream/redis'
import { clusterWorkflows } from './workflows.js'

const url = process.env.REDIS_URL!
const prefix = process.env.KEY_PREFIX!
const redis = new Redis(url)
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
