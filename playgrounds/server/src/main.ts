import { startPlaygroundServer } from './server.js'

/**
 * `pnpm --filter @stepstream/playground-server start`, or spawned by the
 * root `pnpm dev`. Settings come from the environment:
 * PORT, STEPSTREAM_PACE_MS, STEPSTREAM_FLAKY=1 (cut every stream),
 * STEPSTREAM_SERVE_DIST=1 (serve the built playgrounds too).
 */
const env = process.env
const server = await startPlaygroundServer({
  port: Number(env.PORT ?? 5170),
  paceMs: env.STEPSTREAM_PACE_MS === undefined ? undefined : Number(env.STEPSTREAM_PACE_MS),
  flaky: env.STEPSTREAM_FLAKY === '1' ? 'always' : 'on-request',
  serveBuiltApps: env.STEPSTREAM_SERVE_DIST === '1',
  log: (line) => console.log(line),
})
console.log(`stepstream demo API on ${server.url}/api/workflow${env.STEPSTREAM_FLAKY === '1' ? ' (flaky network: every stream is cut)' : ''}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)))
}
