import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import solid from 'vite-plugin-solid'
import type { TestProjectInlineConfiguration } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.js'

type Plugins = NonNullable<TestProjectInlineConfiguration['plugins']>

/**
 * One vitest project per harness, all running the same scenario table
 * (conformance.test.ts): frameworks differ only in their vite plugins.
 * A new framework adds a harness in ./harnesses and a line here.
 */
const harnesses: Record<string, () => Plugins> = {
  react: () => [],
  vue: () => [],
  // The Svelte compiler for `.svelte` and runes modules (no svelte.config.js
  // here); svelteTesting inlines the testing library so it shares Svelte's
  // browser runtime (the `browser` condition below).
  'svelte-store': () => [svelte({ configFile: false }), svelteTesting({ autoCleanup: false })],
  'svelte-runes': () => [svelte({ configFile: false }), svelteTesting({ autoCleanup: false })],
  // Under vitest, Solid's plugin resolves solid-js to its browser build (Node
  // would pick the server one) and inlines the testing library onto it.
  solid: () => [solid()],
}

export const conformanceProjects: TestProjectInlineConfiguration[] = Object.entries(harnesses).map(([harness, plugins]) => ({
  plugins: plugins(),
  resolve: { alias: sourceAliases, ...(harness.startsWith('svelte') ? { conditions: ['browser'] } : {}) },
  test: {
    name: `conformance-${harness}`,
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'jsdom',
    include: ['conformance.test.ts'],
    // Longer than waitFor's limit (5 s), so a stuck scenario fails with waitFor's diff.
    testTimeout: 15_000,
    provide: { harness },
  },
}))
