/**
 * Starts a throwaway redis-server (no persistence) on a free 127.0.0.1 port
 * for this project's tests and stops it afterwards. A missing redis-server
 * is an error, not a skip: CI installs Debian's package (.ci/run).
 */
import type { TestProject } from 'vitest/node'
import { startRedisServer } from '../../scripts/redis-server.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedisServer()
  project.provide('redisUrl', server.url)
  return () => server.stop()
}
