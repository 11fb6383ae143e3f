import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

// Fault injection, fuzzing, the abuse table and AG-UI interop: everything on
// 127.0.0.1, bounded in count, no timing asserts.
export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'reliability',
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
})
