import { defineConfig } from 'vitest/config'
import { conformanceProjects } from './test/conformance/projects.js'
import { sourceAliases } from './vitest.shared.js'

// One vitest run covers every package and the cross-package suites; each
// project keeps its own environment (node, jsdom, browser) in its own config.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      // A package's extra projects, e.g. Solid's server-rendering one.
      'packages/*/vitest.*.config.ts',
      'test/vitest.config.ts',
      'test/e2e/vitest.config.ts',
      'test/reliability/vitest.config.ts',
      // The packed tarballs, installed and used outside the workspace.
      'test/packaging/vitest.config.ts',
      // The adapter conformance table, once per framework harness.
      ...conformanceProjects,
    ],
  },
})
