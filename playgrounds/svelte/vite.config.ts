import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
// A relative import: Vite bundles the config's own files but loads packages with plain Node, which cannot run .ts.
import { playgroundConfig } from '../shared/src/vite.js'

export default defineConfig(({ command }) => playgroundConfig({ framework: 'svelte', command, plugins: [svelte()], dedupe: ['svelte'] }))
