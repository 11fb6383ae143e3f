/**
 * The live tail's connections: what a given ioredis client brings with it,
 * and what `close()` leaves behind.
 */
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'
import { eventually, record, redisUrl, uniquePrefix } from './helpers.js'

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

describe('redisRunStore: the live tail', () => {
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
})
