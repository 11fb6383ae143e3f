import { WorkflowClient, type WorkflowClientState, type WorkflowConnection, type WorkflowStatus } from '@stepstream/client'
import { createRoot } from 'solid-js'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { useOrchestration, useWorkflow } from '@stepstream/solid'

const connection: WorkflowConnection = { send: () => Promise.reject(new Error('type test')) }
const input = z.object({ topic: z.string() })
const output = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), article: z.string() }), z.object({ ok: z.literal(false), reason: z.string() })])
type Article = z.infer<typeof output>
const inRoot = <T>(run: () => T): T =>
  createRoot((dispose) => {
    const result = run()
    dispose()
    return result
  })

describe('useWorkflow types (Solid)', () => {
  it('infers input, a discriminated output and state from zod schemas, with options or an accessor', () => {
    const wf = inRoot(() => useWorkflow({ connection, input, output, state: z.object({ drafts: z.number() }) }))
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    // @ts-expect-error: the input schema wants a topic (type-checked only: the root is gone, its client disposed)
    void (() => wf.start({ title: 'x' }))
    expectTypeOf(wf.status).toEqualTypeOf<WorkflowStatus>()
    expectTypeOf(wf.state).toEqualTypeOf<{ drafts: number } | undefined>()
    if (wf.output?.ok) expectTypeOf(wf.output.article).toEqualTypeOf<string>()
    else if (wf.output) expectTypeOf(wf.output.reason).toEqualTypeOf<string>()
    expectTypeOf(wf.start).returns.resolves.toEqualTypeOf<WorkflowClientState<Article, { drafts: number }>>()

    const fromAccessor = inRoot(() => useWorkflow(() => ({ connection, input, output, id: 'a' })))
    expectTypeOf(fromAccessor.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(fromAccessor.output).toEqualTypeOf<Article | undefined>()
  })

  it('infers from valibot schemas', () => {
    const wf = inRoot(() => useWorkflow({ connection, input: v.object({ n: v.number() }), output: v.object({ total: v.number() }) }))
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<{ n: number }>()
    expectTypeOf(wf.output).toEqualTypeOf<{ total: number } | undefined>()
  })

  it('falls back to unknown without schemas, and follows a shared client’s types', () => {
    const untyped = inRoot(() => useWorkflow({ connection }))
    expectTypeOf(untyped.start).parameter(0).toBeUnknown()
    expectTypeOf(untyped.output).toBeUnknown()
    const client = new WorkflowClient({ connection, input: z.object({ id: z.number() }), output: z.string() })
    const shared = inRoot(() => useOrchestration({ client }))
    expectTypeOf(shared.start).parameter(0).toEqualTypeOf<{ id: number }>()
    expectTypeOf(shared.output).toEqualTypeOf<string | undefined>()
    // @ts-expect-error: a shared client is configured by its owner, not here
    inRoot(() => useWorkflow({ client, throttleMs: 50 }))
  })

  it('makes fields readonly', () => {
    const wf = inRoot(() => useWorkflow({ connection }))
    const write = () => {
      // @ts-expect-error: state comes from the stream, not from the component
      wf.status = 'finished'
    }
    expectTypeOf(write).toBeFunction()
  })
})
