/**
 * `redisRunStore`'s durations often come from the environment
 * (`Number(process.env.RUN_TTL)`, NaN when it is unset). One that means no
 * length of time is refused when the store is made, as `inMemoryRunStore`
 * refuses it, before any connection is opened: ttl NaN kept every run's keys
 * for ever, and leaseTtl NaN reached Redis as `PX NaN` at the first start,
 * while a leaseTtl no timer can wait a third of renewed the lease every
 * millisecond.
 */
import { describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'

// Nothing listens here: a store that got past its options would try to connect.
const nowhere = 'redis://127.0.0.1:1'

function made(options: { ttl?: number; leaseTtl?: number }): () => void {
  return () => {
    const store = redisRunStore({ url: nowhere, ...options })
    void store.close()
  }
}

describe('redisRunStore options', () => {
  it.each([NaN, -1, -Infinity])('refuses ttl %s with a TypeError', (ttl) => {
    expect(made({ ttl })).toThrow(new TypeError(`redisRunStore: ttl must be a number of milliseconds (Infinity keeps runs until deleteRun), not ${ttl}`))
  })

  it.each([NaN, 0, -5, Infinity, 2 ** 33])('refuses leaseTtl %s with a TypeError', (leaseTtl) => {
    expect(made({ leaseTtl })).toThrow(/^redisRunStore: leaseTtl must be more than 0 and at most \d+ milliseconds, not /)
  })
})
