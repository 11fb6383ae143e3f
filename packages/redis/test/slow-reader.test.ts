/**
 * A reader that does not drain, on Redis: it holds at most its bound while a
 * run floods the log (live events it let go of are read back with XRANGE
 * pages), and a resume reads the backlog a page at a time, not in one XRANGE.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { expectBoundedReaders } from '../../../test/fixtures/slow-reader.js'
import { backends, record } from './helpers.js'

const WORDS = 5_000

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe.each(backends)('redisRunStore on a $name: a reader that does not drain', (backend) => {
  it('holds at most its bound while thousands of events are appended, then delivers each once, in order', async () => {
    const store = backend.store()
    closers.push(() => store.close())
    await expectBoundedReaders(store, WORDS)
  })

  it('reads at most `limit` events from an index, across its internal XRANGE pages', async () => {
    const store = backend.store()
    closers.push(() => store.close())
    await store.createRun(record('r'))
    for (let n = 0; n < 2_499; n++) void store.append('r', { type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })
    await store.append('r', { type: 'CUSTOM', name: 'n', value: 2_499, timestamp: 1 })
    const indices = async (from: number, limit: number) => (await store.read('r', from, { limit })).map(({ index }) => index)
    expect(await indices(10, 3)).toEqual([10, 11, 12])
    expect(await indices(0, 1_500)).toEqual(Array.from({ length: 1_500 }, (_, n) => n))
    expect(await indices(2_498, 10)).toEqual([2_498, 2_499])
    expect(await indices(0, 0)).toEqual([])
  })
})
