/**
 * A store that can no longer follow a run for its subscribers (a Redis live
 * tail whose reads keep failing) says so through `subscribe`'s `onFailure`.
 * A response that followed the run kept sending heartbeats for events that
 * would never come, and its client stayed `running`; `runWorkflow`'s iterator
 * waited for good. Now the response ends, with what the log holds but
 * without a terminal event (a drop: the client resumes from its cursor), and
 * the iterator throws the store's error.
 */
import type { IndexedEvent } from '@stepstream/protocol'
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, inMemoryRunStore, runWorkflow, type RunStore, type WorkflowEventStream } from '@stepstream/server'
import { get, heldWorkflow, postRequest, readLog, readSse, waitUntil } from './helpers.js'
import { within } from '../../../test/fixtures/within.js'

/**
 * The store as a process whose live tail fails sees it: no live event
 * reaches a subscriber, and `fail()` tells the subscribers that can hear it.
 */
function deafView(store: RunStore): { view: RunStore; subscribers: () => number; fail: (error: Error) => void } {
  const told: Array<(error: Error) => void> = []
  const view = Object.create(store) as RunStore
  view.subscribe = async (_runId, _listener, options) => {
    if (options?.onFailure) told.push(options.onFailure)
    return () => {}
  }
  return { view, subscribers: () => told.length, fail: (error) => told.splice(0).forEach((tell) => tell(error)) }
}

describe('a subscription the store can no longer serve', () => {
  it('ends the response with every event the log holds and no terminal event; a resume reads the rest', async () => {
    const store = inMemoryRunStore()
    const { view, subscribers, fail } = deafView(store)
    const { workflow, release } = heldWorkflow('held')
    const response = await createWorkflowHandler({ workflow, runStore: view, heartbeatMs: 50 })(postRequest({ input: null }))
    const runId = response.headers.get('x-workflow-run-id')!
    const reading = readSse(response)
    await waitUntil(() => subscribers() === 1, 'the response to subscribe')
    // Events the reader got from no live delivery: appended after its first read, the held step's start among them.
    await waitUntil(async () => (await readLog(store, runId)).some(({ event }) => event.type === 'STEP_STARTED'), 'the step to start')

    fail(new Error('cannot follow the run'))
    const cut = await within(reading, 20_000, 'the response to end')
    expect(cut.events).toEqual(await readLog(store, runId))
    expect(cut.events.map(({ event }) => event.type)).not.toContain('RUN_FINISHED')

    release()
    const rest = await get(createWorkflowHandler({ workflow, runStore: store }), { runId, startIndex: cut.events.length })
    expect([...cut.events, ...rest.events]).toEqual(await readLog(store, runId))
    expect(rest.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'released' })
  })

  it('makes runWorkflow’s iterator throw the store’s error once the log’s events are out', async () => {
    const store = inMemoryRunStore()
    const { view, subscribers, fail } = deafView(store)
    const { workflow, release } = heldWorkflow('held')
    const stream: WorkflowEventStream = runWorkflow({ workflow, runStore: view, input: null })
    const read: IndexedEvent[] = []
    const reading = (async () => {
      for await (const event of stream) read.push(event)
    })().then(
      () => 'ended without an error',
      (error: unknown) => error,
    )
    await waitUntil(() => subscribers() === 1, 'the iterator to subscribe')
    const { runId } = await stream.ready
    await waitUntil(async () => (await readLog(store, runId)).some(({ event }) => event.type === 'STEP_STARTED'), 'the step to start')

    const failure = new Error('cannot follow the run')
    fail(failure)
    expect(await within(reading, 20_000, 'the iterator to end')).toBe(failure)
    expect(read).toEqual(await readLog(store, runId))
    release()
  })
})
