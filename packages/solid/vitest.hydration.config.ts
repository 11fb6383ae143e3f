import solid from 'vite-plugin-solid'
import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

// Hydration needs JSX compiled hydratable (`ssr: true` compiles it so for the
// DOM too) and solid-js's browser build, which `ssr: true` no longer picks
// under vitest by itself: both module graphs are told to, or the test and the
// adapter would each get their own solid-js.
const browser = ['solid', 'browser', 'development']
export default defineProject({
  plugins: [solid({ ssr: true })],
  resolve: { alias: sourceAliases, conditions: browser },
  ssr: { resolve: { conditions: browser } },
  test: { name: 'solid-hydration', environment: 'jsdom', include: ['test/**/*.hydration.test.tsx'] },
})
