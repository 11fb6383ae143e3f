import { WorkflowClient, type WorkflowClientState, type WorkflowConnection, type WorkflowStatus } from '@stepstream/client'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { computed, effectScope, ref, type ComputedRef } from 'vue'
import { z } from 'zod'
import { useOrchestration, useWorkflow } from '@stepstream/vue'

const connection: WorkflowConnection = { send: () => Promise.reject(new Error('type test')) }
const inScope = <T>(run: () => T): T => {
  const scope = effectScope()
  const result = scope.run(run)!
  scope.stop()
  return result
}

describe('useWorkflow types (Vue)', () => {
  it('infers input, a discriminated output and state from zod schemas', () => {
    const wf = inScope(() =>
      useWorkflow({
        connection,
        input: z.object({ topic: z.string() }),
        output: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), article: z.string() }), z.object({ ok: z.literal(false), reason: z.string() })]),
        state: z.object({ drafts: z.number() }),
      }),
    )
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    // @ts-expect-error: the input schema wants a topic (type-checked only: the scope is gone, its client disposed)
    void (() => wf.start({ title: 'x' }))
    expectTypeOf(wf.status).toEqualTypeOf<ComputedRef<WorkflowStatus>>()
    expectTypeOf(wf.state.value).toEqualTypeOf<{ drafts: number } | undefined>()
    const output = wf.output.value
    if (output?.ok) expectTypeOf(output.article).toEqualTypeOf<string>()
    else if (output) expectTypeOf(output.reason).toEqualTypeOf<string>()
    type Article = { ok: true; article: string } | { ok: false; reason: string }
    expectTypeOf(wf.start).returns.resolves.toEqualTypeOf<WorkflowClientState<Article, { drafts: number }>>()
  })

  it('infers from valibot schemas', () => {
    const wf = inScope(() => useWorkflow({ connection, input: v.object({ n: v.number() }), output: v.object({ total: v.number() }) }))
    expectTypeOf(wf.start).parameter(0).toEqualTypeOf<{ n: number }>()
    expectTypeOf(wf.output.value).toEqualTypeOf<{ total: number } | undefined>()
  })

  it('falls back to unknown without schemas, and follows a shared client’s types', () => {
    const untyped = inScope(() => useWorkflow({ connection }))
    expectTypeOf(untyped.start).parameter(0).toBeUnknown()
    expectTypeOf(untyped.output.value).toBeUnknown()

    const client = new WorkflowClient({ connection, input: z.object({ id: z.number() }), output: z.string() })
    const shared = inScope(() => useOrchestration({ client }))
    expectTypeOf(shared.start).parameter(0).toEqualTypeOf<{ id: number }>()
    expectTypeOf(shared.output.value).toEqualTypeOf<string | undefined>()
    // @ts-expect-error: a shared client is configured by its owner, not here
    inScope(() => useWorkflow({ client, throttleMs: 50 }))

    // Another composable's client ref keeps its types.
    const owner = inScope(() => useWorkflow({ connection, input: z.object({ topic: z.string() }), output: z.number(), id: 'a' }))
    const follower = inScope(() => useWorkflow({ client: owner.client }))
    expectTypeOf(follower.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(follower.output.value).toEqualTypeOf<number | undefined>()
  })

  it('makes state refs readonly', () => {
    const wf = inScope(() => useWorkflow({ connection }))
    const write = () => {
      // @ts-expect-error: state comes from the stream, not from the component
      wf.status.value = 'finished'
    }
    expectTypeOf(write).toBeFunction()
  })

  it('infers the same from options given as a getter or a computed, callbacks included', () => {
    type Article = { ok: true; article: string } | { ok: false; reason: string }
    const input = z.object({ topic: z.string() })
    const output = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), article: z.string() }), z.object({ ok: z.literal(false), reason: z.string() })])
    const runKey = ref('a')
    const fromGetter = inScope(() =>
      useWorkflow(() => ({
        connection,
        id: runKey.value,
        input,
        output,
        onFinish: (result) => expectTypeOf(result).toEqualTypeOf<Article>(),
      })),
    )
    expectTypeOf(fromGetter.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(fromGetter.output.value).toEqualTypeOf<Article | undefined>()

    const fromComputed = inScope(() => useOrchestration(computed(() => ({ connection, input, output }))))
    expectTypeOf(fromComputed.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(fromComputed.output.value).toEqualTypeOf<Article | undefined>()

    const client = new WorkflowClient({ connection, input, output })
    const sharedFromGetter = inScope(() => useWorkflow(() => ({ client })))
    expectTypeOf(sharedFromGetter.output.value).toEqualTypeOf<Article | undefined>()
  })
})
