import solid from 'vite-plugin-solid'
import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

// Server rendering needs solid-js's server build and SSR-compiled JSX, which
// the browser-conditioned `solid` project cannot give, hence its own project.
export default defineProject({
  plugins: [solid({ ssr: true })],
  resolve: { alias: sourceAliases },
  test: { name: 'solid-ssr', environment: 'node', include: ['test/**/*.ssr.test.tsx'] },
})
