/**
 * `deleteRun` whose script ran in Redis but whose reply never came back (the
 * connection dropped in between, and the client does not send it again:
 * here one that never reconnects; with ioredis' defaults, one that gave up
 * after `maxRetriesPerRequest` reconnects). The delete rejects, so it never
 * ended this process's own tails of the run, and the tail skipped the
 * announcement as its own: its subscribers waited for good. The tail now
 * heeds its own process's announcement too, so they hear of the deletion.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'
import { backends, eventually, record, redisUrl, uniquePrefix } from './helpers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/**
 * A loopback proxy to the test redis-server that, once armed, forwards the
 * first request containing every marker and then cuts that connection as its
 * reply arrives: Redis ran the command, the client never hears of it.
 */
async function replyDroppingProxy(): Promise<{ url: string; dropReplyTo(markers: string[]): void; close(): Promise<void> }> {
  const target = new URL(redisUrl())
  let armed: string[] | undefined
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    let cutAtReply = false
    client.on('data', (chunk) => {
      const text = chunk.toString('latin1').toLowerCase()
      if (armed?.every((marker) => text.includes(marker.toLowerCase()))) {
        armed = undefined
        cutAtReply = true
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (!cutAtReply) return void client.write(chunk)
      client.destroy()
      upstream.destroy()
    })
    for (const socket of [client, upstream]) {
      socket.on('error', () => {})
      socket.on('close', () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `redis://127.0.0.1:${port}`,
    dropReplyTo(markers) {
      armed = markers
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

describe('a deleteRun whose reply is lost', () => {
  it("still ends this process's own subscriptions of the run, and tells its deletion listeners", async () => {
    const proxy = await replyDroppingProxy()
    const prefix = uniquePrefix()
    // No reconnect: a command cut off in flight is failed, not sent again.
    const client = new Redis(proxy.url, { retryStrategy: () => null })
    client.on('error', () => {})
    const store = redisRunStore({ redis: client, keyPrefix: prefix, leaseTtl: 60_000 })
    closers.push(async () => {
      await store.close()
      client.disconnect()
      await proxy.close()
    })
    const heard: string[] = []
    store.onRunDeleted?.((runId) => heard.push(runId))
    // The script is cached (EVALSHA answers it, not NOSCRIPT) before the delete that counts.
    await store.createRun(record('warm-up'))
    await store.deleteRun('warm-up')
    await store.createRun(record('r'))
    await store.subscribe('r', () => {})
    heard.length = 0

    proxy.dropReplyTo(['evalsha', `${prefix}{r}:run`, `${prefix}deletions`])
    await expect(store.deleteRun('r')).rejects.toThrow()
    const raw = new Redis(redisUrl())
    closers.push(async () => void (await raw.quit()))
    expect(await raw.exists(`${prefix}{r}:run`)).toBe(0)

    await eventually(() => heard.length > 0, 10_000)
    expect(heard).toEqual(['r'])
    expect(store.subscriberCount()).toBe(0)
  })
})

describe.each(backends)('a deleteRun answered as usual ($name)', (backend) => {
  it("tells this process's deletion listeners once, though its tail now also reads this store's own announcement", async () => {
    const store = backend.store({ leaseTtl: 60_000 })
    closers.push(() => store.close())
    const heard: string[] = []
    store.onRunDeleted?.((runId) => heard.push(runId))
    await store.createRun(record('r'))
    await store.subscribe('r', () => {})
    await store.deleteRun('r')
    expect(heard).toEqual(['r'])
    // The lane reads the announcement, at the latest, with the first event
    // appended after it to a log it tails: the new run's under the same id
    // (same slot, so the same lane on a cluster), which it must not end either.
    await store.createRun(record('r'))
    const seen: number[] = []
    await store.subscribe('r', (event) => seen.push(event.index))
    await store.append('r', { type: 'CUSTOM', name: 'n', value: 0, timestamp: 1 })
    await eventually(() => seen.length === 1, 10_000)
    expect(heard).toEqual(['r'])
    expect(store.subscriberCount()).toBe(1)
  })
})
