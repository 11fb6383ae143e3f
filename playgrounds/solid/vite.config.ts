import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'
// A relative import: Vite bundles the config's own files but loads packages with plain Node, which cannot run .ts.
import { playgroundConfig } from '../shared/src/vite.js'

export default defineConfig(({ command }) => playgroundConfig({ framework: 'solid', command, plugins: [solid()], dedupe: ['solid-js'] }))
