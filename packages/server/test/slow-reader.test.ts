/**
 * A reader that does not drain (a slow HTTP client, a host that stopped
 * iterating) must not hold the run's whole log in memory: past a bound it
 * lets live events go and reads them back from the store when it catches up,
 * and a resume replays the log page by page.
 */
import { describe, expect, it } from 'vitest'
import type { IndexedEvent } from '@stepstream/protocol'
import { inMemoryRunStore, runWorkflow, type RunStore } from '@stepstream/server'
import { expectBoundedReaders, floodPastAnUnreadReader, floodWorkflow } from '../../../test/fixtures/slow-reader.js'
import { gate, runRecord } from './helpers.js'

const WORDS = 5_000

describe('a reader that does not drain', () => {
  it('holds at most its bound while thousands of events are appended, then delivers each once, in order', async () => {
    await expectBoundedReaders(inMemoryRunStore(), WORDS)
  })

  // RunStore is public: a store written before `read` took a limit returns the whole rest of the log.
  it('still delivers every event once, in order, from a store that ignores the read limit', async () => {
    const store = inMemoryRunStore()
    const unlimited = Object.create(store) as RunStore
    unlimited.read = (runId, fromIndex) => store.read(runId, fromIndex)
    const outcome = await floodPastAnUnreadReader(unlimited, WORDS)
    expect(outcome.delivered).toEqual(outcome.log)
    expect(outcome.resumed).toEqual(outcome.log)
  })
})

describe('a reader paging through a run that is deleted meanwhile, its id taken again', () => {
  it('reads none of the new run, though its page answers from the new log', async () => {
    const store = inMemoryRunStore()
    const said = (word: string) =>
      floodWorkflow(async function* () {
        for (let n = 0; n < 1_500; n++) yield `${word} `
      })
    const drain = async (events: AsyncIterable<IndexedEvent>) => {
      const read: IndexedEvent[] = []
      for await (const event of events) read.push(event)
      return read
    }
    await drain(runWorkflow({ workflow: said('old'), runStore: store, input: null, runId: 'r' }))

    // The reader's second page is answered only after the run was deleted and started again.
    const secondRead = gate()
    const answer = gate()
    const view = Object.create(store) as RunStore
    let reads = 0
    view.read = async (...args: Parameters<RunStore['read']>) => {
      if (++reads === 2) {
        secondRead.open()
        await answer.opened
      }
      return store.read(...args)
    }
    const reading = drain(runWorkflow({ workflow: said('old'), runStore: view, runId: 'r', startIndex: 0 }))
    await secondRead.opened
    await store.deleteRun('r')
    await drain(runWorkflow({ workflow: said('new'), runStore: store, input: null, runId: 'r' }))
    answer.open()

    const read = await reading
    expect(read.length).toBeGreaterThan(0)
    expect(read.some(({ event }) => event.type === 'TEXT_MESSAGE_CONTENT' && event.delta === 'new ')).toBe(false)
    expect(read.map(({ index }) => index)).toEqual(read.map((_, index) => index))
  })
})

describe('inMemoryRunStore read', () => {
  it('returns at most `limit` events from an index', async () => {
    const store = inMemoryRunStore()
    await store.createRun(runRecord('r'))
    for (let n = 0; n < 5; n++) await store.append('r', { type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })
    const indices = async (from: number, limit?: number) => (await store.read('r', from, { limit })).map(({ index }) => index)
    expect(await indices(1, 2)).toEqual([1, 2])
    expect(await indices(3, 10)).toEqual([3, 4])
    expect(await indices(0, 0)).toEqual([])
    expect(await indices(2)).toEqual([2, 3, 4])
  })
})
