import solid from 'vite-plugin-solid'
import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

export default defineProject({
  // vite-plugin-solid compiles JSX and, under vitest, resolves solid-js to its
  // browser build (Node's default is the server build, which does not react).
  plugins: [solid()],
  resolve: { alias: sourceAliases },
  test: { name: 'solid', environment: 'jsdom', include: ['test/**/*.test.{ts,tsx}'], exclude: ['test/**/*.ssr.test.tsx', 'test/**/*.hydration.test.tsx'] },
})
