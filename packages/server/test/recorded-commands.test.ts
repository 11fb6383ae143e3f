/**
 * The commands a body yields for a value the engine makes (`sleep`, `now`,
 * `uuid`) give a rebuilt body exactly what they gave the live one, down to
 * the type: the journal keeps JSON, and JSON has no `undefined`.
 */
import { describe, expect, it } from 'vitest'
import { approve, createWorkflowHandler, defineWorkflow, inMemoryRunStore, now, sleep, uuid } from '@stepstream/server'
import { jsonJournal, post, runIdOf, waitUntil } from './helpers.js'

describe('values recorded by the engine', () => {
  it('are the same, type included, when a paused run is rebuilt', async () => {
    const seen: unknown[][] = []
    const workflow = defineWorkflow({
      name: 'timed',
      run: async function* () {
        const woke = yield* sleep(5)
        const at = yield* now()
        const id = yield* uuid()
        // Runs live, then again when the approval rebuilds the run.
        seen.push([woke, at, id])
        yield* approve({ title: 'Go on?' })
        return { wokeWith: woke === undefined ? 'undefined' : JSON.stringify(woke) }
      },
    })
    const store = inMemoryRunStore()
    const started = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    const runId = runIdOf(started)
    // The sleep ends by its deadline; the run goes on to the approval by itself.
    await waitUntil(async () => (await store.getRun(runId))?.pending?.kind === 'approval', 'the run to wake and wait for its approval')
    const record = await store.getRun(runId)
    const approvalId = record?.pending?.kind === 'approval' ? record.pending.approvalId : ''
    const approved = await post(createWorkflowHandler({ workflow, runStore: jsonJournal(store) }), { runId, approval: { approvalId, approved: true } })

    expect(seen).toHaveLength(2)
    expect(seen[0]![0]).toBeUndefined()
    expect(seen[1]).toStrictEqual(seen[0])
    expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { wokeWith: 'undefined' } })
  })
})
