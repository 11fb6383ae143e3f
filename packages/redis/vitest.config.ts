import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'redis',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // One real redis-server for the whole project, on a free loopback port,
    // and one three-node Redis Cluster for the suites run on both.
    globalSetup: ['test/setup/redis-server.ts', 'test/setup/redis-cluster.ts'],
    // Multi-process suites spawn servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
