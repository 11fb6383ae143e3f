// Spawns a private redis-server on a free loopback port (tests and the
// benchmark). Plain JS so both vitest and `node bench/run.mjs` can load it.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** A port the OS says is free right now. */
export async function freePort() {
  const probe = createServer()
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/**
 * Spawns `binary` on 127.0.0.1:`port` with no persistence, plus `extraArgs`.
 * Resolves once it accepts connections, or `undefined` when the port was
 * taken meanwhile (the caller picks another).
 */
export async function spawnRedisServer(binary, port, extraArgs = []) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', ...extraArgs]
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const ready = await new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk) => {
      output += chunk
      if (output.includes('Ready to accept connections')) resolve(true)
      else if (output.includes('Address already in use')) resolve(false)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', (error) => reject(new Error(`Could not start ${binary} (install Debian's redis-server package): ${error.message}`)))
    child.once('exit', () => resolve(false))
  })
  if (!ready) {
    child.kill('SIGKILL')
    return undefined
  }
  // Drained, so a chatty server never blocks on a full pipe.
  child.stdout.resume()
  child.stderr.resume()
  return child
}

/** Stops a spawned server; resolves once it exited. */
export function stopRedisServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/**
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 */
export async function startRedisServer({ binary = process.env.REDIS_SERVER ?? 'redis-server' } = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const child = await spawnRedisServer(binary, port)
    if (child) return { url: `redis://127.0.0.1:${port}`, port, stop: () => stopRedisServer(child) }
  }
  throw new Error(`${binary} did not start on a free port after 5 attempts`)
}
