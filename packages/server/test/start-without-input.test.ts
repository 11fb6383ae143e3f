/**
 * A start with no input. JSON has no `undefined`, so a client that starts a
 * workflow taking no input sends `input: null` (the start action is keyed on
 * `input`, PROTOCOL §4): a schema that takes a missing input (optional, or
 * with a default) must take that start as one without input, from the first
 * request through every rebuild, while a schema that takes null gets null.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { approve, createWorkflowHandler, defineWorkflow, inMemoryRunStore, type RunStore, type Workflow } from '@stepstream/server'
import { approvalIdOf, post, processView, runIdOf } from './helpers.js'

function gatedEcho<T>(name: string, input: z.ZodType<T>) {
  return defineWorkflow({
    name,
    input,
    run: async function* ({ input }) {
      yield* approve({ title: 'Go?' })
      return { input: input === undefined ? 'missing' : input }
    },
  })
}

/** Starts with `input: null`, then approves on another process, which rebuilds the run from its record. */
async function startWithNullThenApprove(workflow: Workflow) {
  const store: RunStore = inMemoryRunStore()
  const paused = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
  const approved = await post(createWorkflowHandler({ workflow, runStore: processView(store) }), {
    runId: runIdOf(paused),
    approval: { approvalId: approvalIdOf(paused), approved: true },
  })
  return { paused, approved }
}

describe('a start with input: null', () => {
  it.each([
    ['optional', gatedEcho('optional', z.object({ topic: z.string() }).optional()), 'missing'],
    ['with a default', gatedEcho('defaulted', z.object({ topic: z.string() }).default({ topic: 'owls' })), { topic: 'owls' }],
    ['nullable', gatedEcho('nullable', z.object({ topic: z.string() }).nullable()), null],
  ] as const)('runs a workflow whose input schema is %s, and rebuilds it the same way', async (_, workflow, expected) => {
    const { paused, approved } = await startWithNullThenApprove(workflow as Workflow)
    expect(paused.status).toBe(200)
    expect(paused.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
    expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { input: expected } })
  })

  it('is still refused by a schema that needs an input', async () => {
    const workflow = gatedEcho('required', z.object({ topic: z.string() }))
    const refused = await post(createWorkflowHandler({ workflow, runStore: inMemoryRunStore() }), { input: null })
    expect(refused.status).toBe(400)
  })
})
