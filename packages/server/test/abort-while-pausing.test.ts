/**
 * An abort that reaches a run while its executor is pausing it, after the
 * executor's last look for abort requests before the pause: the run must end
 * as aborted as soon as the pause is recorded (as an abort of a paused run
 * does), not sit paused until someone answers it. Each test shapes the race
 * with a store view (`processView`) whose methods wait at one point of it.
 */
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, inMemoryRunStore, type RunStore, type Workflow } from '@stepstream/server'
import { gate, heldUpFlow, postRequest, processView, readSse, types, waitForStatus, waitUntil } from './helpers.js'

function handlerOn(store: RunStore, workflow: Workflow) {
  return createWorkflowHandler({ workflow, runStore: store })
}

/** What the log holds after the pausing segment: the abort's own segment, the suspended approval step ended as aborted. */
async function expectAbortSegmentAfter(store: RunStore, runId: string, pausingSegment: number): Promise<void> {
  await waitForStatus(store, runId, 'aborted')
  const after = await store.read(runId, pausingSegment)
  expect(types(after)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_ERROR'])
  expect(after[3]!.event.metadata).toMatchObject({ error: { name: 'AbortError' } })
  expect(after.at(-1)!.event).toMatchObject({ code: 'aborted' })
}
/** Starts the held-up run on `executor`, lets it go on to its pause, and returns its id and the pausing segment, which ends in the interrupt. */
async function startAndPause(executor: RunStore, workflow: Workflow, hold: { open(): void }) {
  const start = await handlerOn(executor, workflow)(postRequest({ input: null }))
  const runId = start.headers.get('x-workflow-run-id')!
  hold.open()
  const paused = await readSse(start)
  expect(paused.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
  return { runId, paused }
}


describe('an abort that lands while the run pauses', () => {
  it('sent to another process while the executor records the pause: the executor aborts the run once the pause is recorded', async () => {
    const store = inMemoryRunStore({ leaseTtl: 60_000 })
    const { workflow, hold } = heldUpFlow('pausing', true)
    const other = handlerOn(processView(store), workflow)
    const executor = processView(store)
    let abortAnswer: Response | undefined
    executor.setRun = async (record, options) => {
      // Past the executor's look before pausing: the other process sees the run running and asks for an abort.
      if (record.status === 'paused' && !abortAnswer) abortAnswer = await other(postRequest({ runId: record.runId, abort: true }))
      return store.setRun(record, options)
    }
    const { runId, paused } = await startAndPause(executor, workflow, hold)
    expect(await abortAnswer!.json()).toEqual({ runId, status: 'aborted' })
    await expectAbortSegmentAfter(store, runId, paused.events.length)
  })

  it('whose request reaches the store only once the executor has paused and let the run go: the process that sent it aborts the run', async () => {
    const store = inMemoryRunStore({ leaseTtl: 60_000 })
    const { workflow, hold } = heldUpFlow('late-request', true)
    const executor = processView(store)
    const letGo = gate()
    executor.releaseLease = async (runId, owner) => {
      await store.releaseLease(runId, owner)
      letGo.open()
    }
    const sender = processView(store)
    sender.requestAbort = async (runId) => {
      // Slow in transit: sent while the run was running, it lands after the executor's every look.
      hold.open()
      await letGo.opened
      return store.requestAbort(runId)
    }
    const start = await handlerOn(executor, workflow)(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    const aborted = await handlerOn(sender, workflow)(postRequest({ runId, abort: true }))
    expect(aborted.status).toBe(202)
    const paused = await readSse(start)
    expect(paused.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
    await expectAbortSegmentAfter(store, runId, paused.events.length)
  })

  for (const renewalAnswered of ['while the pause is recorded', 'after the lease is let go'] as const) {
    it(`handed to the executor by a lease renewal answered ${renewalAnswered}: the executor aborts the paused run`, async () => {
      // A short lease: the executor renews it on a timer while the test holds the pause.
      const store = inMemoryRunStore({ leaseTtl: 300 })
      const { workflow, hold } = heldUpFlow('renewed', true)
      const executor = processView(store)
      const handedOver = gate()
      const letGo = gate()
      executor.renewLease = async (runId, owner) => {
        const renewal = await store.renewLease(runId, owner)
        if (renewal.abortRequested) {
          handedOver.open()
          if (renewalAnswered === 'after the lease is let go') await letGo.opened
        }
        return renewal
      }
      executor.releaseLease = async (runId, owner) => {
        await store.releaseLease(runId, owner)
        letGo.open()
      }
      let requested = false
      executor.setRun = async (record, options) => {
        if (record.status === 'paused' && !requested) {
          requested = true
          // Another process's request, taken by the executor's periodic renewal, not by its look before pausing.
          await store.requestAbort(record.runId)
          await handedOver.opened
        }
        return store.setRun(record, options)
      }
      const { runId, paused } = await startAndPause(executor, workflow, hold)
      await expectAbortSegmentAfter(store, runId, paused.events.length)
    })
  }
})

describe('an abort a lease renewal hands over before the pause is recorded', () => {
  it('is acted on by the executor before it lets the run go: an approval another process is waiting to apply finds the run aborted', async () => {
    // A short lease: the executor renews it on a timer (every 100 ms), and that renewal takes the request.
    const store = inMemoryRunStore({ leaseTtl: 300 })
    const { workflow, hold } = heldUpFlow('handed-early', true)
    const executor = processView(store)
    const sender = handlerOn(processView(store), workflow)
    const approver = handlerOn(processView(store), workflow)
    const handedOver = gate()
    executor.renewLease = async (runId, owner) => {
      const renewal = await store.renewLease(runId, owner)
      if (renewal.abortRequested) handedOver.open()
      return renewal
    }
    let abortAnswer: Response | undefined
    let approvalId: string | undefined
    executor.setRun = async (record, options) => {
      if (record.status === 'paused' && !abortAnswer) {
        approvalId = record.pending?.kind === 'approval' ? record.pending.approvalId : undefined
        // Past the executor's look before pausing, the run still recorded running: the sender asks for an abort...
        abortAnswer = await sender(postRequest({ runId: record.runId, abort: true }))
        // ...and the executor's periodic renewal takes the request, while the pause is being recorded.
        await handedOver.opened
      }
      return store.setRun(record, options)
    }
    let approving: Promise<Response> | undefined
    executor.releaseLease = async (runId, owner) => {
      await store.releaseLease(runId, owner)
      if (approving || approvalId === undefined) return
      // A third process was waiting for the lease to apply a decision (sent as the interrupt came): it gets it the moment the executor lets go.
      approving = approver(postRequest({ runId, approval: { approvalId, approved: true } }))
      await approving
    }
    const { runId, paused } = await startAndPause(executor, workflow, hold)
    expect(await abortAnswer!.json()).toEqual({ runId, status: 'aborted' })
    // The abort was answered 202 before the decision was sent: the decision must not resume the run.
    await waitUntil(() => approving !== undefined, 'the executor to let the run go')
    const approved = await approving!
    if (approved.status === 200) expect((await readSse(approved)).events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'aborted' })
    else expect(await approved.json()).toMatchObject({ error: { code: 'run_not_paused' } })
    await expectAbortSegmentAfter(store, runId, paused.events.length)
  })
})

