/**
 * Starts a throwaway three-master Redis Cluster (no persistence) on free
 * 127.0.0.1 ports for this project's tests, and stops it afterwards. A
 * missing redis-server or redis-cli is an error, not a skip: CI installs
 * Debian's redis-server, which brings redis-cli (.ci/run).
 */
import type { TestProject } from 'vitest/node'
import { startRedisCluster } from '../../scripts/redis-cluster.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    redisClusterNodes: Array<{ host: string; port: number }>
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster()
  project.provide('redisClusterNodes', cluster.nodes)
  return () => cluster.stop()
}
