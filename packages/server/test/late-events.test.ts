/**
 * Events the body or an agent queues after the run's segment has ended (an
 * `emit` from a callback that fires after its step returned, say) belong to
 * no segment: PROTOCOL §3 ends every segment with exactly one terminal event.
 */
import { describe, expect, it } from 'vitest'
import { approve, createWorkflowHandler, defineAgent, defineWorkflow, inMemoryRunStore, type Workflow } from '@stepstream/server'
import { approvalIdOf, get, post, processView, readLog, runIdOf, types } from './helpers.js'

/**
 * A handler over a store whose lease renewals are a round trip, during the
 * `nth` of which `emitLate` fires: where a late emit lands in a real process.
 */
function emitDuringRenewal(workflow: Workflow, nth: number, emitLate: () => void) {
  const store = inMemoryRunStore()
  const slowLease = processView(store)
  let renewals = 0
  slowLease.renewLease = async (runId, owner) => {
    renewals += 1
    if (renewals === nth) emitLate()
    return store.renewLease(runId, owner)
  }
  return { store, handler: createWorkflowHandler({ workflow, runStore: slowLease }), renewals: () => renewals }
}

describe('an emit that comes after the segment ended', () => {
  it('is not written after the interrupt of a pause, so the paused segment still ends the log and a resume of it closes', async () => {
    let lateEmit: (() => void) | undefined
    const chatty = defineAgent({
      name: 'chatty',
      run: async ({ emit }) => {
        // Stands for a progress callback of the agent's SDK that fires after the agent returned.
        lateEmit = () => emit('progress', { late: true })
        return 'done'
      },
    })
    const workflow = defineWorkflow({
      name: 'late',
      agents: { chatty },
      run: async function* ({ agents }) {
        yield* agents.chatty()
        return yield* approve({ title: 'Go on?' })
      },
    })
    // The late emit lands while the executor, having written the interrupt,
    // takes its last look for an abort (its second renewal).
    const { store, handler, renewals } = emitDuringRenewal(workflow, 2, () => lateEmit?.())

    const started = await post(handler, { input: null })
    const runId = runIdOf(started)
    expect(renewals()).toBe(2)
    const log = await readLog(store, runId)
    expect(types(log).slice(-2)).toEqual(['CUSTOM:approval-requested', 'RUN_FINISHED'])
    // A resume from the client's cursor finds nothing left, instead of live-tailing a paused run.
    expect((await get(handler, { runId, startIndex: log.length })).events).toEqual([])

    const approved = await post(handler, { runId, approval: { approvalId: approvalIdOf(started), approved: true } })
    expect(types(approved.events)[0]).toBe('RUN_STARTED')
    expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
  })

  it('is not written between the interrupt and the next RUN_STARTED by a run rebuilt to apply a decision', async () => {
    let lateEmit: (() => void) | undefined
    const workflow = defineWorkflow({
      name: 'late-body',
      run: async function* ({ emit }) {
        // Stands for a callback the body set up that fires later; replay runs the body again, so it is set up again.
        lateEmit = () => emit('progress', { late: true })
        return yield* approve({ title: 'Go on?' })
      },
    })
    // The third renewal is the rebuilt run's look for an abort, after replay and before the decision is applied.
    const { store, handler, renewals } = emitDuringRenewal(workflow, 3, () => lateEmit?.())

    const started = await post(handler, { input: null })
    const runId = runIdOf(started)
    const approved = await post(handler, { runId, approval: { approvalId: approvalIdOf(started), approved: true } })
    expect(renewals()).toBe(3)
    const log = await readLog(store, runId)
    expect(types(log.slice(started.events.length - 1, started.events.length + 1))).toEqual(['RUN_FINISHED', 'RUN_STARTED'])
    expect(approved.events[0]!.index).toBe(started.events.length)
    expect(types(log)).not.toContain('CUSTOM:progress')
  })
})
