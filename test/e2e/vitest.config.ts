import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

/**
 * The browser end-to-end suite: its own project because it needs a global
 * setup (build the playgrounds, start the demo server) and runs serially
 * against one Chromium.
 */
export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
