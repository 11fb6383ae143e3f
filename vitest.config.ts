import { defineConfig } from 'vitest/config'
import { sourceAliases } from './vitest.shared.js'

// One vitest run covers every package and the cross-package suites; each
// project keeps its own environment (node, jsdom, browser) in its own config.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: ['packages/*/vitest.config.ts', 'test/vitest.config.ts', 'test/reliability/vitest.config.ts'],
  },
})
