/**
 * A store that refuses one of a run's writes (a Redis connection lost for a
 * moment) fails the run: its log still ends with RUN_ERROR, written once
 * the store answers again. The run's record must then say so too; left
 * `running`, it is never dropped by its ttl, refuses every decision as
 * running, and only a reader that happens to come by would settle it.
 */
import { describe, expect, it } from 'vitest'
import type { WorkflowEvent } from '@stepstream/protocol'
import { createWorkflowHandler, defineAgent, defineWorkflow, inMemoryRunStore, type RunStore } from '@stepstream/server'
import { post, postRequest, readLog, runIdOf, types, waitForStatus } from './helpers.js'

const lookup = defineAgent({ name: 'lookup', run: async () => 'found' })
const twoSteps = defineWorkflow({
  name: 'two-steps',
  agents: { lookup },
  run: async function* ({ agents }) {
    yield* agents.lookup()
    return yield* agents.lookup()
  },
})

/** The store, refusing the first append of an event of `type`, once. */
function refusingOnce(store: RunStore, type: WorkflowEvent['type']): RunStore {
  const view = Object.create(store) as RunStore
  let refused = false
  view.append = async (runId, event, options) => {
    if (!refused && event.type === type) {
      refused = true
      throw new Error('store connection lost')
    }
    return store.append(runId, event, options)
  }
  return view
}

const countsToOne = defineWorkflow({
  name: 'counts-to-one',
  initialize: () => ({ count: 0 }),
  run: async function* ({ state }) {
    state.count = 1
    return 'counted'
  },
})

describe('a run one of whose writes the store refused', () => {
  it('ends with RUN_ERROR in its log and failed in its record, with nobody reading', async () => {
    const store = inMemoryRunStore({ leaseTtl: 300 })
    const handler = createWorkflowHandler({ workflow: twoSteps, runStore: refusingOnce(store, 'STEP_FINISHED'), onError: () => {} })
    const started = await post(handler, { input: null })
    const runId = runIdOf(started)
    expect(started.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR' })
    expect(types(await readLog(store, runId)).at(-1)).toBe('RUN_ERROR')
    await waitForStatus(store, runId, 'failed')
  })

  it('does not end as a success when the refused write was its last state change: its clients would never see it', async () => {
    const store = inMemoryRunStore({ leaseTtl: 300 })
    const handler = createWorkflowHandler({ workflow: countsToOne, runStore: refusingOnce(store, 'STATE_DELTA'), onError: () => {} })
    const runId = runIdOf(await post(handler, { input: null }))
    expect(types(await readLog(store, runId))).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'RUN_ERROR'])
    await waitForStatus(store, runId, 'failed')
  })

  it.each([
    ['its first event, answering the start 500', 'RUN_STARTED'],
    ['its end, with its client gone', 'RUN_FINISHED'],
  ] as const)('is settled (executor_lost) once the store answers, when it refused %s', async (_what, refusedType) => {
    const store = inMemoryRunStore({ leaseTtl: 300 })
    const handler = createWorkflowHandler({ workflow: twoSteps, runStore: refusingOnce(store, refusedType), onError: () => {} })
    // Named by the client: a start answered 500 tells no run id.
    const runId = 'refused-write'
    const response = await handler(postRequest({ input: null, runId }))
    // Nobody reads the run: a reader's watchdog would settle it by itself.
    await response.body?.cancel()
    await waitForStatus(store, runId, 'failed')
    expect((await readLog(store, runId)).at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'executor_lost' })
  })
})
