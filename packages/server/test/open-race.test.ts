/**
 * A reader subscribes, then reads the backlog. Events appended while that
 * read is on its way (its answer already taken, not yet back) come only
 * through the subscription: they must be delivered once, after the backlog,
 * and the reader must not wait for ever for the run's last event.
 */
import type { IndexedEvent } from '@stepstream/protocol'
import { describe, expect, it } from 'vitest'
import { inMemoryRunStore, runWorkflow, type RunStore } from '@stepstream/server'
import { gate, heldWorkflow, waitForStatus } from './helpers.js'
import { within } from '../../../test/fixtures/within.js'

/** The store, with every read answered as the log stood when it was made, but only once `release` is called. */
function slowReads(store: RunStore) {
  const started = gate()
  const answer = gate()
  const view = Object.create(store) as RunStore
  view.read = async (...args: Parameters<RunStore['read']>) => {
    const page = await store.read(...args)
    started.open()
    await answer.opened
    return page
  }
  return { store: view, readStarted: started.opened, release: () => answer.open() }
}

describe('a reader opening while the run appends', () => {
  it('delivers, once and in order, the events appended between its subscription and its backlog read', async () => {
    const store = inMemoryRunStore()
    const { workflow, release: finishRun } = heldWorkflow('held')
    const started = runWorkflow({ workflow, runStore: store, input: null })
    const { runId } = await started.ready
    const slow = slowReads(store)
    const events: IndexedEvent[] = []
    const reading = (async () => {
      for await (const event of runWorkflow({ workflow, runStore: slow.store, runId, startIndex: 0 })) events.push(event)
    })()
    await slow.readStarted
    // The rest of the run, its last event included, lands while the backlog read is out.
    finishRun()
    await waitForStatus(store, runId, 'finished')
    slow.release()
    await within(reading, 2_000, 'reading the run')
    const log = await store.read(runId, 0)
    expect(log.at(-1)!.event.type).toBe('RUN_FINISHED')
    expect(events).toEqual(log)
  })
})
