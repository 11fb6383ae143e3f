import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
// A relative import: Vite bundles the config's own files but loads packages with plain Node, which cannot run .ts.
import { playgroundConfig } from '../shared/src/vite.js'

export default defineConfig(({ command }) => playgroundConfig({ framework: 'vue', command, plugins: [vue()], dedupe: ['vue'] }))
