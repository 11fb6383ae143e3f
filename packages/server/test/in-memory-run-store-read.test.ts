/**
 * `RunStore.read` is public: a host paging through a run's log (an admin
 * view, an export) may pass any number it computed. Events come with their
 * absolute index, so a bound that is not an index must never come back as
 * one; a limit that is no count of events is refused with a RangeError
 * rather than read as some page size nobody asked for.
 */
import { describe, expect, it } from 'vitest'
import { custom } from '@stepstream/protocol'
import { inMemoryRunStore, type RunRecord } from '@stepstream/server'

async function storeWithEvents(count: number) {
  const store = inMemoryRunStore()
  const record: RunRecord = { runId: 'r', workflow: 'w', status: 'running', inputFingerprint: 'f', applied: [], segmentStarts: [0], createdAt: 0, updatedAt: 0 }
  await store.createRun(record)
  for (let i = 0; i < count; i++) await store.append('r', custom('n', i))
  return store
}

const indices = (events: { index: number }[]) => events.map((event) => event.index)

describe('inMemoryRunStore read: fromIndex', () => {
  it('reads from the first whole index at or after a fractional one', async () => {
    const store = await storeWithEvents(4)
    expect(indices(await store.read('r', 1.5))).toEqual([2, 3])
  })

  it('reads everything from a negative or -Infinity bound, and nothing from Infinity', async () => {
    const store = await storeWithEvents(3)
    expect(indices(await store.read('r', -2))).toEqual([0, 1, 2])
    expect(indices(await store.read('r', -Infinity))).toEqual([0, 1, 2])
    expect(await store.read('r', Infinity)).toEqual([])
  })

  it('refuses NaN with a RangeError', async () => {
    const store = await storeWithEvents(3)
    await expect(store.read('r', NaN)).rejects.toThrow(RangeError)
  })
})

describe('inMemoryRunStore read: limit', () => {
  it('returns at most limit events, none for 0, and all of them for Infinity', async () => {
    const store = await storeWithEvents(4)
    expect(indices(await store.read('r', 1, { limit: 2 }))).toEqual([1, 2])
    expect(await store.read('r', 1, { limit: 0 })).toEqual([])
    expect(indices(await store.read('r', 1, { limit: Infinity }))).toEqual([1, 2, 3])
  })

  it.each([-1, 1.5, NaN, -Infinity])('refuses limit %s with a RangeError', async (limit) => {
    const store = await storeWithEvents(3)
    await expect(store.read('r', 0, { limit })).rejects.toThrow(RangeError)
  })
})
