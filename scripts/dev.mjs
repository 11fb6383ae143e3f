#!/usr/bin/env node
// `pnpm dev`: the demo server and the five playgrounds, each on its own
// loopback port, with no API key and no build step (the apps compile the
// workspace packages from source). Ctrl-C stops everything.
//
// The server runs TypeScript through tsx; each playground is a Vite dev
// server that proxies /api to the demo server. STEPSTREAM_FLAKY=1 makes the
// server cut every stream (each playground also has a per-tab switch).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const host = '127.0.0.1'
// React first: it is the one the README points at.
const apps = [
  { name: 'react', label: 'React', port: 5171 },
  { name: 'vue', label: 'Vue', port: 5172 },
  { name: 'svelte', label: 'Svelte', port: 5173 },
  { name: 'solid', label: 'Solid', port: 5174 },
  { name: 'vanilla', label: 'Vanilla', port: 5175 },
]
const serverPreferredPort = 5170
const startupTimeoutMs = 60_000

/** The preferred port if it is free, else one the OS picks: a second `pnpm dev` still starts. */
function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => {
      const any = createServer()
      any.listen(0, host, () => {
        const { port } = any.address()
        any.close(() => resolve(port))
      })
    })
    probe.listen(preferred, host, () => probe.close(() => resolve(preferred)))
  })
}

const children = []
let stopping = false

function run(name, command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const prefix = `[${name}]`.padEnd(10)
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) console.log(`${prefix} ${line}`)
    })
  }
  child.once('exit', (code, signal) => {
    if (stopping) return
    console.error(`${prefix} exited (${signal ?? `code ${code}`}); stopping the others.`)
    stop(1)
  })
  return child
}

function stop(exitCode) {
  if (stopping) return
  stopping = true
  // Only the processes this script started, by pid.
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  setTimeout(() => process.exit(exitCode), 500).unref()
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => stop(0))
// If whatever started us goes away without a signal (e.g. `timeout pnpm dev`), don't leave servers behind.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) stop(0)
}, 1000).unref()

/** Polls until the URL answers; a dev server that never comes up fails the command instead of hanging. */
async function waitForHttp(url) {
  const deadline = Date.now() + startupTimeoutMs
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url)
      await response.body?.cancel()
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (!stopping) throw new Error(`${url} did not answer within ${startupTimeoutMs / 1000} s`)
}

const serverPort = await freePort(serverPreferredPort)
const apiUrl = `http://${host}:${serverPort}`
run('server', process.execPath, ['--conditions=@stepstream/source', '--import', 'tsx', 'src/main.ts'], {
  cwd: join(root, 'playgrounds/server'),
  env: { ...process.env, PORT: String(serverPort) },
})

for (const app of apps) {
  app.port = await freePort(app.port)
  const cwd = join(root, 'playgrounds', app.name)
  // Each playground's own Vite, resolved from its folder (as `pnpm --filter … dev` would).
  const vitePackage = createRequire(join(cwd, 'package.json')).resolve('vite/package.json')
  const viteBin = join(dirname(vitePackage), 'bin/vite.js')
  run(app.name, process.execPath, [viteBin, '--logLevel', 'warn'], {
    cwd,
    env: { ...process.env, PORT: String(app.port), STEPSTREAM_API_URL: apiUrl },
  })
}

try {
  await waitForHttp(`${apiUrl}/api/health`)
  await Promise.all(apps.map((app) => waitForHttp(`http://${host}:${app.port}/`)))
} catch (error) {
  console.error(String(error))
  stop(1)
}

if (!stopping) {
  const width = Math.max(...apps.map((app) => app.label.length))
  console.log('\nstepstream playgrounds (no API key needed; Ctrl-C stops them all):\n')
  for (const app of apps) console.log(`  ${app.label.padEnd(width)}  http://${host}:${app.port}/`)
  console.log(`\n  demo API  ${apiUrl}/api/workflow${process.env.STEPSTREAM_FLAKY === '1' ? ' (flaky: every stream is cut)' : ''}`)
  console.log('  Tick "Flaky network" in a playground to watch a dropped stream resume,')
  console.log('  or press Disconnect mid-run and Resume: the run went on without the tab.\n')
}
