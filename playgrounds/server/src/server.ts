import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { flakyModeEndpoint, frameworks, type Framework, type ServerFlakyMode } from '@stepstream/playground-shared'
import { createWorkflowHandler, inMemoryRunStore, toNodeListener, type WorkflowHandler } from '@stepstream/server'
import { flaky, type FlakyOptions } from './flaky.js'
import { staticApp } from './static-files.js'
import { demoWorkflows } from './workflows/index.js'

export interface PlaygroundServerOptions {
  /** 0 picks a free port. */
  port?: number
  /** Always loopback unless told otherwise: this is a demo with no auth. */
  host?: string
  /** Pause between streamed words (default 45 ms: readable, not tedious). */
  paceMs?: number
  flaky?: FlakyOptions['mode']
  /** How long a flaky stream lives before its cut, at random in [min, max] ms (default 250–1200). */
  flakyCutMs?: [min: number, max: number]
  /** Serve each playground's `dist/` under `/<framework>/` (the e2e tests do; `pnpm dev` uses Vite instead). */
  serveBuiltApps?: boolean
  log?: (line: string) => void
}

export interface PlaygroundServer {
  url: string
  port: number
  server: Server
  close(): Promise<void>
}

const playgroundsDir = fileURLToPath(new URL('../../', import.meta.url))

/** The demo backend: every demo workflow on one endpoint, `/api/workflow`. */
export function createPlaygroundHandler(options: Pick<PlaygroundServerOptions, 'paceMs' | 'flaky' | 'flakyCutMs' | 'log'> = {}): WorkflowHandler {
  const log = options.log ?? (() => {})
  const handler = createWorkflowHandler({
    workflows: demoWorkflows(options.paceMs ?? 45),
    runStore: inMemoryRunStore(),
    // Short heartbeats keep the client's idle watchdog quiet while a run waits for a person.
    heartbeatMs: 5000,
  })
  return flaky(handler, {
    mode: options.flaky ?? 'on-request',
    ...(options.flakyCutMs ? { minMs: options.flakyCutMs[0], maxMs: options.flakyCutMs[1] } : {}),
    onCut: (request, bytes) => log(`flaky: cut ${request.method} ${new URL(request.url).search || 'stream'} after ${bytes} bytes`),
  })
}

export async function startPlaygroundServer(options: PlaygroundServerOptions = {}): Promise<PlaygroundServer> {
  const api = createPlaygroundHandler(options)
  const apps = new Map<Framework, (pathname: string) => Promise<Response>>()
  if (options.serveBuiltApps) {
    for (const framework of frameworks) apps.set(framework, staticApp(`${playgroundsDir}${framework}/dist`))
  }

  const route: WorkflowHandler = async (request) => {
    const { pathname } = new URL(request.url)
    if (pathname === '/api/workflow') return api(request)
    if (pathname === '/api/health') return Response.json({ ok: true })
    // The apps' Flaky network switch shows this, not only the tab's own setting: `always` cuts what no tab asked to cut.
    if (pathname === flakyModeEndpoint) return Response.json({ mode: options.flaky ?? 'on-request' } satisfies { mode: ServerFlakyMode })
    const [, first = '', ...rest] = pathname.split('/')
    const app = apps.get(first as Framework)
    if (app && pathname === `/${first}`) return Response.redirect(new URL(`/${first}/`, request.url), 308)
    if (app) return app(`/${rest.join('/')}`)
    if (pathname === '/' && apps.size > 0) return indexPage()
    return Response.json({ error: { code: 'not_found', message: `No route for ${pathname}` } }, { status: 404 })
  }

  const server = createServer(toNodeListener(route))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Open SSE streams would otherwise keep close() waiting for ever.
        server.closeAllConnections()
      }),
  }
}

function indexPage(): Response {
  const links = frameworks.map((framework) => `<li><a href="/${framework}/">${framework}</a></li>`).join('')
  return new Response(`<!doctype html><title>stepstream playgrounds</title><h1>stepstream playgrounds</h1><ul>${links}</ul>`, {
    headers: { 'content-type': 'text/html; charset=utf-8' },
  })
}
