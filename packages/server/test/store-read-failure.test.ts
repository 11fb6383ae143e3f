/**
 * A store that fails while a decision rebuilds a paused run (a Redis
 * connection lost as it reads the run's journal). The request fails, but
 * the run must stay as it was: paused, its lease free, so the next try (here
 * or on another process) applies the decision.
 */
import { describe, expect, it } from 'vitest'
import { approve, createWorkflowHandler, defineWorkflow, inMemoryRunStore } from '@stepstream/server'
import { approvalIdOf, post, postRequest, processView, runIdOf } from './helpers.js'

const gated = defineWorkflow({
  name: 'gated',
  run: async function* () {
    return yield* approve({ title: 'Go?' })
  },
})

describe('a store read that fails while a decision rebuilds the run', () => {
  it.each(['readSteps', 'getRun'] as const)('(%s) answers 500 and leaves the run paused with its lease free: the retried decision applies', async (method) => {
    // A long lease: a stranded one would hold the retry up for far longer than this test runs.
    const store = inMemoryRunStore({ leaseTtl: 600_000 })
    const paused = await post(createWorkflowHandler({ workflow: gated, runStore: store }), { input: null })
    const runId = runIdOf(paused)
    const failing = processView(store)
    let reads = 0
    const original = store[method].bind(store) as (id: string) => Promise<unknown>
    // The decision's reads: getRun fails on its read once the lease is held (its second), readSteps on its first.
    const failOn = method === 'getRun' ? 2 : 1
    failing[method] = (async (id: string) => {
      if (++reads === failOn) throw new Error('store connection lost')
      return original(id)
    }) as never
    const failures: unknown[] = []
    const handler = createWorkflowHandler({ workflow: gated, runStore: failing, onError: (error) => failures.push(error) })
    const decision = { runId, approval: { approvalId: approvalIdOf(paused), approved: true } }
    const refused = await handler(postRequest(decision))
    expect(refused.status).toBe(500)
    expect(failures).toEqual([new Error('store connection lost')])
    expect((await store.getRun(runId))!.status).toBe('paused')

    const retried = await post(handler, decision)
    expect(retried.status).toBe(200)
    expect(retried.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED' })
  })
})
