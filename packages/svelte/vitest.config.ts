import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

export default defineProject({
  // The Svelte compiler turns runes (`.svelte`, `.svelte.ts`) into code, and
  // the browser condition picks Svelte's client runtime over its SSR one.
  plugins: [svelte(), svelteTesting()],
  resolve: { alias: sourceAliases, conditions: ['browser'] },
  test: { name: 'svelte', environment: 'jsdom', include: ['test/**/*.test.ts'] },
})
