import { defaultClientConditions, type Plugin, type PluginOption, type UserConfig } from 'vite'
import type { Framework } from './demo.js'

/** Ports `pnpm dev` prefers; scripts/dev.mjs passes others through PORT when these are taken. */
export const defaultPorts: Record<Framework | 'server', number> = {
  server: 5170,
  react: 5171,
  vue: 5172,
  svelte: 5173,
  solid: 5174,
  vanilla: 5175,
}

export interface PlaygroundConfigOptions {
  framework: Framework
  command: 'build' | 'serve'
  plugins?: PluginOption[]
  /** Framework runtimes that the adapter package and the app must share (one copy, or hooks/reactivity break). */
  dedupe?: string[]
}

const titles: Record<Framework, string> = { react: 'React', vue: 'Vue', svelte: 'Svelte', solid: 'Solid', vanilla: 'Vanilla' }

/** The document head every playground shares, so each index.html holds only its mount point and entry. */
function playgroundHead(framework: Framework): Plugin {
  return {
    name: 'stepstream-playground-head',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { charset: 'UTF-8' }, injectTo: 'head-prepend' },
      { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1.0' }, injectTo: 'head-prepend' },
      { tag: 'link', attrs: { rel: 'icon', href: 'data:,' }, injectTo: 'head-prepend' },
      { tag: 'title', children: `stepstream playground · ${titles[framework]}`, injectTo: 'head-prepend' },
    ],
  }
}

/**
 * The Vite config every playground uses. Workspace packages resolve to their
 * TypeScript sources (the `@stepstream/source` export condition), so the demo
 * needs no build of the packages and always shows the code in the tree.
 */
export function playgroundConfig({ framework, command, plugins = [], dedupe = [] }: PlaygroundConfigOptions): UserConfig {
  const apiUrl = process.env.STEPSTREAM_API_URL ?? `http://127.0.0.1:${defaultPorts.server}`
  return {
    // Built apps are served by the playground server under /<framework>/.
    base: command === 'build' ? `/${framework}/` : '/',
    plugins: [playgroundHead(framework), ...plugins],
    resolve: { conditions: ['@stepstream/source', ...defaultClientConditions], dedupe },
    server: {
      host: '127.0.0.1',
      port: Number(process.env.PORT ?? defaultPorts[framework]),
      strictPort: true,
      proxy: {
        '/api': {
          target: apiUrl,
          // When the demo server drops a stream (the flaky switch), the proxy would otherwise
          // keep the browser's side open and idle, and the client would only notice after its
          // idle timeout. Passing the drop on lets resume happen as it would without a proxy.
          configure: (proxy) => {
            proxy.on('proxyRes', (proxyRes, _request, response) => {
              proxyRes.once('close', () => {
                if (!proxyRes.complete) response.destroy()
              })
            })
          },
        },
      },
    },
    build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: false },
    clearScreen: false,
    logLevel: command === 'build' ? 'warn' : 'info',
  }
}
