/**
 * A live tail whose blocking read keeps failing (here: the deletions stream
 * it reads is not a stream, so every XREAD answers WRONGTYPE at once; an
 * ACL that refuses XREAD, or a node that keeps refusing, does the same). It
 * retried every 100 ms for good, silently, while its subscribers waited.
 * Now it backs off, new subscriptions on it are refused with
 * `LiveTailUnavailableError` (the RunStore contract reports errors through
 * its promises), the subscribers it has get everything once a read
 * succeeds again, and it stops reading when its last subscriber leaves.
 */
import type { IndexedEvent } from '@stepstream/protocol'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LiveTailUnavailableError, redisRunStore, type RedisRunStore } from '@stepstream/redis'
import { startRedisServer, type RedisServer } from '../scripts/redis-server.mjs'
import { cluster, eventually, laneDeletionsKey, record, uniquePrefix } from './helpers.js'

const custom = (n: number) => ({ type: 'CUSTOM', name: 'n', value: n, timestamp: 1 }) as const

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** Subscribes until the store refuses; returns what it refused with (the lane is seen failing after a few reads). */
async function refusal(store: RedisRunStore, runId: string): Promise<unknown> {
  let refused: unknown
  await eventually(async () => {
    try {
      const unsubscribe = await store.subscribe(runId, () => {})
      unsubscribe()
      return false
    } catch (error) {
      refused = error
      return true
    }
  })
  return refused
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a live tail whose reads keep failing, on a private single node', () => {
  let server: RedisServer
  let raw: Redis
  beforeAll(async () => {
    server = await startRedisServer()
    raw = new Redis(server.url)
  })
  afterAll(async () => {
    await raw.quit()
    await server.stop()
  })

  /** XREADs the server refused so far (its own count: this server serves this suite only). */
  async function failedReads(): Promise<number> {
    const stats = await raw.info('commandstats')
    return Number(/cmdstat_xread:.*failed_calls=(\d+)/.exec(stats)?.[1] ?? 0)
  }

  it('backs off, refuses new subscribers with a typed error, recovers, and stops when its last subscriber leaves', async () => {
    const prefix = uniquePrefix()
    const store = redisRunStore({ url: server.url, keyPrefix: prefix, leaseTtl: 60_000 })
    closers.push(() => store.close())
    await store.createRun(record('r'))
    const deletionsKey = laneDeletionsKey('single node', prefix, 'r')
    await raw.set(deletionsKey, 'not a stream')
    const events: IndexedEvent[] = []
    const unsubscribe = await store.subscribe('r', (event) => events.push(event))

    const refused = await refusal(store, 'r')
    expect(refused).toBeInstanceOf(LiveTailUnavailableError)
    expect(String((refused as Error).cause)).toMatch(/WRONGTYPE/)

    // Backing off: retrying every 100 ms, it failed some 30 reads in 3 s.
    const before = await failedReads()
    await pause(3_000)
    expect(await failedReads()).toBeLessThan(before + 12)

    // Mended: the subscriber it kept gets what was appended, once; new subscribers are taken again.
    await raw.del(deletionsKey)
    await store.append('r', custom(1))
    await eventually(() => events.length > 0)
    expect(events.map((event) => event.index)).toEqual([0])
    const later = await store.subscribe('r', () => {})
    later()

    // Failing again with nobody left to read for: it stops trying.
    await raw.set(deletionsKey, 'not a stream')
    await store.append('r', custom(2))
    await eventually(async () => (await failedReads()) > before)
    unsubscribe()
    expect(store.subscriberCount()).toBe(0)
    // A read the lane sent just before is counted once Redis has read it off that other connection.
    await pause(200)
    const left = await failedReads()
    await pause(3_000)
    expect(await failedReads()).toBe(left)
  })
})

describe('a live tail whose reads keep failing, on the cluster', () => {
  it('refuses new subscribers of its slot with a typed error, and its subscriber gets everything once mended', async () => {
    const prefix = uniquePrefix()
    const store = cluster.store({ prefix, leaseTtl: 60_000 })
    const raw = cluster.rawClient()
    closers.push(() => store.close(), async () => void (await raw.quit().catch(() => {})))
    await store.createRun(record('r'))
    const deletionsKey = laneDeletionsKey('cluster', prefix, 'r')
    await raw.set(deletionsKey, 'not a stream')
    const events: IndexedEvent[] = []
    await store.subscribe('r', (event) => events.push(event))

    const refused = await refusal(store, 'r')
    expect(refused).toBeInstanceOf(LiveTailUnavailableError)
    expect(String((refused as Error).cause)).toMatch(/WRONGTYPE/)

    await raw.del(deletionsKey)
    await store.append('r', custom(1))
    await eventually(() => events.length > 0)
    expect(events.map((event) => event.index)).toEqual([0])
  })
})
