// Spawns a private three-master Redis Cluster on free loopback ports, for the
// tests that run the store on a cluster. Plain JS, like redis-server.mjs.
// A missing redis-server or redis-cli is an error, never a skip: CI installs
// Debian's redis-server, which brings redis-cli (redis-tools).
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort, spawnRedisServer, stopRedisServer } from './redis-server.mjs'

const run = promisify(execFile)
const NODES = 3
/** Bound on waiting for `cluster_state:ok` after the create (polled, not slept through). */
const READY_TIMEOUT_MS = 30_000

async function cli(binary, args) {
  try {
    return (await run(binary, args, { timeout: READY_TIMEOUT_MS })).stdout
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`Could not run ${binary} (Debian's redis-tools, which redis-server depends on, ships it)`)
    throw new Error(`${binary} ${args.join(' ')} failed: ${error.stderr || error.message}`)
  }
}

/**
 * @returns {Promise<{ nodes: Array<{ host: string, port: number }>, stop: () => Promise<void> }>}
 */
export async function startRedisCluster({
  server = process.env.REDIS_SERVER ?? 'redis-server',
  client = process.env.REDIS_CLI ?? 'redis-cli',
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stepstream-redis-cluster-'))
  const children = []
  const stop = async () => {
    await Promise.all(children.map(stopRedisServer))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const ports = []
    for (let attempt = 0; ports.length < NODES; attempt++) {
      if (attempt >= NODES * 5) throw new Error(`${server} did not start ${NODES} cluster nodes on free ports`)
      const port = await freePort()
      const child = await spawnRedisServer(server, port, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir])
      if (!child) continue
      children.push(child)
      ports.push(port)
    }
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }))
    await cli(client, ['--cluster', 'create', ...nodes.map(({ host, port }) => `${host}:${port}`), '--cluster-replicas', '0', '--cluster-yes'])
    // Every node must agree the slots are covered before a client connects,
    // or its first commands meet CLUSTERDOWN.
    const deadline = Date.now() + READY_TIMEOUT_MS
    for (;;) {
      const states = await Promise.all(ports.map((port) => cli(client, ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info'])))
      if (states.every((info) => info.includes('cluster_state:ok'))) break
      if (Date.now() > deadline) throw new Error(`Redis Cluster on ${ports.join(', ')} not ok within ${READY_TIMEOUT_MS} ms`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return { nodes, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
