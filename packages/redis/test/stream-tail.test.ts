/**
 * The live tail's connections: what a given ioredis client brings with it,
 * and what `close()` leaves behind.
 */
import { createServer, connect, type Socket } from 'node:net'
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'
import { eventually, rawClient, record, redisUrl, testStore, uniquePrefix } from './helpers.js'

const custom = (n: number): WorkflowEvent => ({ type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** A client of the caller's, with every connection the store makes from it recorded. */
function givenClient(options: { keyPrefix?: string } = {}): { client: Redis; made: Redis[] } {
  const client = new Redis(redisUrl(), options)
  const made: Redis[] = []
  const duplicate = client.duplicate.bind(client)
  client.duplicate = (...args: Parameters<Redis['duplicate']>): Redis => {
    const connection = duplicate(...args)
    made.push(connection)
    return connection
  }
  closers.push(async () => {
    made.forEach((connection) => connection.disconnect())
    await client.quit().catch(() => {})
  })
  return { client, made }
}

/**
 * A loopback TCP proxy to the test Redis. `freeze()` stops forwarding on the
 * connections open at that moment without closing them (a silently dead
 * link: no RST, no FIN); connections made afterwards are forwarded again.
 */
async function freezingProxy(): Promise<{ url: string; freeze(): void; close(): void }> {
  const target = new URL(redisUrl())
  const sockets = new Set<Socket>()
  const pairs: Array<[Socket, Socket]> = []
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
    }
    client.pipe(upstream)
    upstream.pipe(client)
    pairs.push([client, upstream])
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `redis://127.0.0.1:${port}`,
    freeze() {
      for (const [client, upstream] of pairs.splice(0)) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
    },
    close() {
      server.close()
      sockets.forEach((socket) => socket.destroy())
    },
  }
}

describe('redisRunStore: the live tail', () => {
  it('recovers from a blocking connection that went silently dead (no lost event)', async () => {
    const proxy = await freezingProxy()
    const prefix = uniquePrefix()
    const writer = testStore({ prefix })
    const reader = redisRunStore({ url: proxy.url, keyPrefix: prefix })
    // The proxy goes first: a quit on a frozen link would wait for ever.
    closers.push(async () => {
      proxy.close()
      await Promise.all([reader.close(), writer.close()])
    })
    await writer.createRun(record('r'))
    const seen: number[] = []
    await reader.subscribe('r', (event) => seen.push(event.index))
    await writer.append('r', custom(0))
    await eventually(() => seen.length === 1)
    proxy.freeze()
    await writer.append('r', custom(1))
    await writer.append('r', custom(2))
    await eventually(() => seen.length === 3, 30_000)
    expect(seen).toEqual([0, 1, 2])
  })

  it('tails through a given client that has an ioredis keyPrefix', async () => {
    const { client } = givenClient({ keyPrefix: 'app:' })
    const s = redisRunStore({ redis: client, keyPrefix: uniquePrefix() })
    closers.push(() => s.close())
    await s.createRun(record('r'))
    const seen: IndexedEvent[] = []
    await s.subscribe('r', (event) => seen.push(event))
    await s.append('r', custom(0))
    await s.append('r', custom(1))
    await eventually(() => seen.length === 2)
    expect(seen).toEqual([
      { index: 0, event: custom(0) },
      { index: 1, event: custom(1) },
    ])
  })

  it('opens no connection for a subscribe that arrives after close()', async () => {
    const { client, made } = givenClient()
    const s = redisRunStore({ redis: client, keyPrefix: uniquePrefix() })
    await s.createRun(record('r'))
    await s.close()
    const unsubscribe = await s.subscribe('r', () => {})
    unsubscribe()
    expect(made).toEqual([])
    expect(s.subscriberCount()).toBe(0)
    // The caller's client is the caller's: still open.
    expect(await client.ping()).toBe('PONG')
  })

  it('skips a log entry the store did not write and goes on delivering (no unhandled rejection)', async () => {
    const prefix = uniquePrefix()
    const s = testStore({ prefix })
    const redis = rawClient()
    closers.push(async () => {
      await s.close()
      await redis.quit()
    })
    await s.createRun(record('r'))
    const seen: IndexedEvent[] = []
    await s.subscribe('r', (event) => seen.push(event))
    // Something else writes index 0 of the log, not as this store would.
    await redis.xadd(`${prefix}{r}:log`, '0-1', 'x', 'not an event')
    await redis.hincrby(`${prefix}{r}:run`, 'next', 1)
    await s.append('r', custom(1))
    await eventually(() => seen.length === 1)
    expect(seen).toEqual([{ index: 1, event: custom(1) }])
  })

  it('a subscribe whose wake-up fails holds no subscription', async () => {
    const { client } = givenClient()
    const s = redisRunStore({ redis: client, keyPrefix: uniquePrefix() })
    closers.push(() => s.close())
    await s.createRun(record('r'))
    const down = { xadd: () => down, pexpire: () => down, exec: () => Promise.reject(new Error('connection lost')) }
    client.multi = (() => down) as unknown as Redis['multi']
    await expect(s.subscribe('r', () => {})).rejects.toThrow('connection lost')
    expect(s.subscriberCount()).toBe(0)
  })
})
