/**
 * A reader opens by subscribing, then reading the backlog. On Redis the
 * subscription is a shared XREAD tail that may be ahead of (and rewind for)
 * a new subscriber, and the backlog an XRANGE: an event appended between
 * the two must reach the reader once, neither lost nor repeated. Hammered
 * here: readers in three processes open at every moment of runs that
 * append as fast as they can, up to their last event (a reader that missed
 * the last one would wait for ever, so each gets a bounded time to finish).
 */
import type { IndexedEvent } from '@stepstream/protocol'
import { runWorkflow, type RunStore } from '@stepstream/server'
import { afterEach, describe, expect, it } from 'vitest'
import { floodWorkflow } from '../../../test/fixtures/slow-reader.js'
import { backends, eventually, uniquePrefix } from './helpers.js'

const RUNS = 8
const WORDS = 300

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

async function* words() {
  for (let index = 0; index < WORDS; index += 1) {
    yield `w${index} `
    // Lets readers open between any two appends.
    if (index % 3 === 0) await nextTurn()
  }
}

const workflow = floodWorkflow(words)

interface Read {
  startIndex: number
  events: IndexedEvent[]
}

async function readAll(store: RunStore, runId: string, startIndex: number): Promise<Read> {
  const events: IndexedEvent[] = []
  for await (const event of runWorkflow({ workflow, runStore: store, runId, startIndex })) events.push(event)
  return { startIndex, events }
}

/** Starts a run in the first process and opens readers of it in turn in every process until it ends. */
async function hammer(processes: RunStore[]): Promise<{ runId: string; log: IndexedEvent[]; reads: Read[] }> {
  const started = runWorkflow({ workflow, runStore: processes[0]!, input: null })
  const { runId } = await started.ready
  let ended = false
  const log = (async () => {
    const events: IndexedEvent[] = []
    for await (const event of started) events.push(event)
    ended = true
    return events
  })()
  const readers: Array<Promise<Read>> = []
  for (let n = 0; !ended; n += 1) {
    const store = processes[n % processes.length]!
    const tail = await store.lastIndex(runId)
    // From the start, from just before the tail, and from past it: the last is the racy one.
    const startIndex = [0, Math.max(0, tail - 2), tail + 1][n % 3]!
    readers.push(readAll(store, runId, startIndex))
    await nextTurn()
  }
  const stalled = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`a reader of ${runId} is still waiting`)), 5_000))
  stalled.catch(() => {})
  return { runId, log: await log, reads: await Promise.race([Promise.all(readers), stalled]) }
}

describe.each(backends)('redisRunStore on a $name: readers opening while a run appends', (backend) => {
  it('each get every event from their start index once, in order, whichever process they open in', async () => {
    const prefix = uniquePrefix()
    const processes = [backend.store({ prefix }), backend.store({ prefix }), backend.store({ prefix })]
    for (const store of processes) closers.push(() => store.close())
    const runs = await Promise.all(Array.from({ length: RUNS }, () => hammer(processes)))
    let readers = 0
    for (const { log, reads } of runs) {
      expect(log.map(({ index }) => index)).toEqual(log.map((_, index) => index))
      expect(log.at(-1)!.event.type).toBe('RUN_FINISHED')
      for (const { startIndex, events } of reads) expect(events).toEqual(log.slice(startIndex))
      readers += reads.length
    }
    expect(readers).toBeGreaterThan(RUNS * 20)
    // Each executor lets its lease go after its last event: closing the stores before would cut that write.
    const redis = backend.rawClient()
    closers.push(async () => void (await redis.quit()))
    await eventually(async () => {
      const leases = await Promise.all(runs.map(({ runId }) => redis.exists(`${prefix}{${runId}}:lease`)))
      return leases.every((exists) => exists === 0)
    })
  })
})
