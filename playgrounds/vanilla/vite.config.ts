// A relative import: Vite bundles the config's own files but loads packages with plain Node, which cannot run .ts.
import { playgroundConfig } from '../shared/src/vite.js'
import { defineConfig } from 'vite'

export default defineConfig(({ command }) => playgroundConfig({ framework: 'vanilla', command }))
