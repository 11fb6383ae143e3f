/**
 * `RunStore.read` is public, and its contract (packages/server's run-store.ts)
 * says how any number is read: a fractional `fromIndex` from the next whole
 * index, NaN a RangeError, a limit that is no count of events a RangeError.
 * The Redis store must read them as `inMemoryRunStore` does, not hand Redis
 * a stream id it refuses with an untyped ReplyError ("1.5-0", "NaN-0").
 */
import { custom } from '@stepstream/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, record, type Backend } from './helpers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function storeWithEvents(backend: Backend, count: number) {
  const store = backend.store({})
  closers.push(() => store.close())
  await store.createRun(record('r'))
  for (let i = 0; i < count; i++) await store.append('r', custom('n', i))
  return store
}

const indices = (events: { index: number }[]) => events.map((event) => event.index)

describe.each(backends)('redisRunStore on a $name: read bounds', (backend) => {
  it('reads from the first whole index at or after a fractional fromIndex', async () => {
    const store = await storeWithEvents(backend, 4)
    expect(indices(await store.read('r', 1.5))).toEqual([2, 3])
  })

  it('reads everything from a negative or -Infinity bound, and nothing from Infinity', async () => {
    const store = await storeWithEvents(backend, 3)
    expect(indices(await store.read('r', -2))).toEqual([0, 1, 2])
    expect(indices(await store.read('r', -Infinity))).toEqual([0, 1, 2])
    expect(await store.read('r', Infinity)).toEqual([])
  })

  it('refuses a NaN fromIndex with a RangeError', async () => {
    const store = await storeWithEvents(backend, 3)
    await expect(store.read('r', NaN)).rejects.toThrow(RangeError)
  })

  it('returns at most limit events, none for 0, and all of them for Infinity', async () => {
    const store = await storeWithEvents(backend, 4)
    expect(indices(await store.read('r', 1, { limit: 2 }))).toEqual([1, 2])
    expect(await store.read('r', 1, { limit: 0 })).toEqual([])
    expect(indices(await store.read('r', 1, { limit: Infinity }))).toEqual([1, 2, 3])
  })

  it.each([-1, 1.5, NaN, -Infinity])('refuses limit %s with a RangeError', async (limit) => {
    const store = await storeWithEvents(backend, 3)
    await expect(store.read('r', 0, { limit })).rejects.toThrow(RangeError)
  })
})
