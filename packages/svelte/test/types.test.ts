import { WorkflowClient, type WorkflowClientState, type WorkflowConnection, type WorkflowStatus } from '@stepstream/client'
import type { Readable } from 'svelte/store'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createWorkflow, useOrchestration, useWorkflow, type Workflow } from '@stepstream/svelte'

const connection: WorkflowConnection = { send: () => Promise.reject(new Error('type test')) }
const input = z.object({ topic: z.string() })
const output = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), article: z.string() }), z.object({ ok: z.literal(false), reason: z.string() })])
type Article = z.infer<typeof output>

describe('Svelte adapter types', () => {
  it('types the store from the schemas', () => {
    const wf = useWorkflow({ connection, input, output, state: z.object({ drafts: z.number() }) })
    expectTypeOf(wf).toExtend<Readable<WorkflowClientState<Article, { drafts: number }>>>()
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    // @ts-expect-error: the input schema wants a topic
    void wf.start({ title: 'x' })
    wf.subscribe((state) => {
      if (state.output?.ok) expectTypeOf(state.output.article).toEqualTypeOf<string>()
      else if (state.output) expectTypeOf(state.output.reason).toEqualTypeOf<string>()
      expectTypeOf(state.state).toEqualTypeOf<{ drafts: number } | undefined>()
    })()
  })

  it('types the runes form, whose fields are readonly', () => {
    const typed = (wf: Workflow<{ topic: string }, Article>) => {
      expectTypeOf(wf.status).toEqualTypeOf<WorkflowStatus>()
      expectTypeOf(wf.output).toEqualTypeOf<Article | undefined>()
      // @ts-expect-error: state comes from the stream, not from the component
      wf.status = 'finished'
    }
    // Not called: createWorkflow needs a component or $effect.root (see create-workflow.svelte.test.ts).
    const make = () => createWorkflow(() => ({ connection, input, output }))
    expectTypeOf(make).returns.toEqualTypeOf<Workflow<{ topic: string }, Article, unknown>>()
    expectTypeOf(typed).toBeFunction()
  })

  it('infers from valibot schemas', () => {
    const wf = useWorkflow({ connection, input: v.object({ n: v.number() }), output: v.object({ total: v.number() }) })
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<{ n: number }>()
    wf.subscribe((state) => expectTypeOf(state.output).toEqualTypeOf<{ total: number } | undefined>())()
  })

  it('falls back to unknown without schemas, and follows a shared client’s types', () => {
    const untyped = useWorkflow({ connection })
    expectTypeOf(untyped.start).parameter(0).toBeUnknown()
    const client = new WorkflowClient({ connection, input: z.object({ id: z.number() }), output: z.string() })
    const shared = useOrchestration({ client })
    expectTypeOf(shared.start).parameter(0).toEqualTypeOf<{ id: number }>()
    expectTypeOf(shared.client).toEqualTypeOf<WorkflowClient<{ id: number }, string, unknown>>()
    // @ts-expect-error: a shared client is configured by its owner, not here
    useWorkflow({ client, throttleMs: 50 })
  })
})
