/**
 * Runs server processes for the multi-process tests: bundles
 * server-process.ts once (esbuild, workspace packages from source), then
 * spawns, restarts and kills children on loopback, all sharing one Redis.
 */
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))
// Inside node_modules, so the bundle resolves ioredis (left external) from this package.
const outfile = fileURLToPath(new URL('../../node_modules/.cache/stepstream-redis-test/server-process.mjs', import.meta.url))
let bundled: Promise<void> | undefined

function bundle(): Promise<void> {
  bundled ??= (async () => {
    mkdirSync(dirname(outfile), { recursive: true })
    await build({
      entryPoints: [`${here}server-process.ts`],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@stepstream/source'],
      external: ['ioredis'],
      logLevel: 'silent',
    })
  })()
  return bundled
}

export interface ServerProcess {
  url: string
  port: number
  /** SIGKILL: no cleanup, no lease release, like a crashed or OOM-killed container. */
  kill(): Promise<void>
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>
}

/** Where a server process's store is: a single Redis (`redisUrl`) or a Redis Cluster (`clusterNodes`). */
export type ProcessRedis = { redisUrl: string } | { clusterNodes: Array<{ host: string; port: number }> }

export async function startServerProcess(options: ProcessRedis & {
  prefix: string
  leaseTtl?: number
  /** The store's `ttl` (retention); the store's default when not given. */
  ttl?: number
  port?: number
}): Promise<ServerProcess> {
  await bundle()
  const child = spawn(process.execPath, [outfile], {
    env: {
      ...process.env,
      ...('redisUrl' in options ? { REDIS_URL: options.redisUrl } : { REDIS_CLUSTER_NODES: JSON.stringify(options.clusterNodes) }),
      KEY_PREFIX: options.prefix,
      LEASE_TTL: String(options.leaseTtl ?? 3_000),
      PORT: String(options.port ?? 0),
      ...(options.ttl === undefined ? {} : { RUN_TTL: String(options.ttl) }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (\d+)/.exec(output)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`server process exited with ${code} before listening`)))
  })
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve()
    child.once('exit', () => resolve())
  })
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name)
    await exited
  }
  return {
    url: `http://127.0.0.1:${port}/api/workflow`,
    port,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  }
}

/** Stops every process given, whatever state it is in. */
export async function stopAll(processes: Array<ServerProcess | undefined>): Promise<void> {
  await Promise.all(processes.map((p) => p?.stop()))
}
