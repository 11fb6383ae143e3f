import { renderHook } from '@testing-library/react'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z as z4 } from 'zod'
import { z as z3 } from 'zod3'
import {
  WorkflowClient,
  useOrchestration,
  useWorkflow,
  type UseWorkflowResult,
  type WorkflowClientState,
  type WorkflowConnection,
} from '@stepstream/react'

// Never called: these hooks only render, they start nothing.
const connection: WorkflowConnection = {
  send: () => Promise.reject(new Error('type tests send no request')),
}

type Article = { title: string; body: string }
type ArticleOutput = { ok: true; article: Article } | { ok: false; reason: string }

/** Narrowing `output` on `ok` is what the blog's demo relies on. */
function articleOf(output: ArticleOutput | undefined): Article | string | undefined {
  if (output?.ok) {
    expectTypeOf(output.article).toEqualTypeOf<Article>()
    return output.article
  }
  if (output && !output.ok) {
    expectTypeOf(output.reason).toEqualTypeOf<string>()
    return output.reason
  }
  return undefined
}

describe('types: zod 4', () => {
  const ArticleSchema = z4.object({ title: z4.string(), body: z4.string() })
  const input = z4.object({ topic: z4.string(), words: z4.number().default(300) })
  const output = z4.discriminatedUnion('ok', [
    z4.object({ ok: z4.literal(true), article: ArticleSchema }),
    z4.object({ ok: z4.literal(false), reason: z4.string() }),
  ])
  const state = z4.object({ drafts: z4.number() })

  it('types start from the input schema, output and state from theirs', () => {
    const { result } = renderHook(() =>
      useWorkflow({
        input,
        output,
        state,
        connection,
        onFinish: (finished, finalState) => {
          expectTypeOf(finished).toEqualTypeOf<ArticleOutput>()
          expectTypeOf(finalState.state).toEqualTypeOf<{ drafts: number } | undefined>()
        },
      }),
    )
    const workflow = result.current
    // A schema default makes the field optional on input.
    expectTypeOf(workflow.start).parameter(0).toEqualTypeOf<{ topic: string; words?: number | undefined }>()
    expectTypeOf(workflow.output).toEqualTypeOf<ArticleOutput | undefined>()
    expectTypeOf(workflow.state).toEqualTypeOf<{ drafts: number } | undefined>()
    expectTypeOf(articleOf).parameter(0).toEqualTypeOf<typeof workflow.output>()
    // @ts-expect-error the input schema wants a topic
    void (() => workflow.start({ title: 'no topic' }))
  })
})

describe('types: zod 3', () => {
  const input = z3.object({ topic: z3.string() })
  const output = z3.discriminatedUnion('ok', [
    z3.object({ ok: z3.literal(true), article: z3.object({ title: z3.string(), body: z3.string() }) }),
    z3.object({ ok: z3.literal(false), reason: z3.string() }),
  ])

  it('infers the same types from zod 3 schemas', () => {
    const { result } = renderHook(() => useWorkflow({ input, output, connection }))
    expectTypeOf(result.current.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(result.current.output).toEqualTypeOf<ArticleOutput | undefined>()
    expectTypeOf(result.current.state).toEqualTypeOf<unknown>()
    // @ts-expect-error topic is a string
    void (() => result.current.start({ topic: 42 }))
  })
})

describe('types: valibot', () => {
  const input = v.object({ topic: v.string() })
  const output = v.variant('ok', [
    v.object({ ok: v.literal(true), article: v.object({ title: v.string(), body: v.string() }) }),
    v.object({ ok: v.literal(false), reason: v.string() }),
  ])
  const state = v.object({ drafts: v.number() })

  it('infers from valibot schemas, in useOrchestration too', () => {
    const { result } = renderHook(() => useOrchestration({ input, output, state, connection }))
    expectTypeOf(result.current.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(result.current.output).toEqualTypeOf<ArticleOutput | undefined>()
    expectTypeOf(result.current.state).toEqualTypeOf<{ drafts: number } | undefined>()
  })
})

describe('types: untyped fallback and shared client', () => {
  it('falls back to unknown without schemas', () => {
    const { result } = renderHook(() => useWorkflow({ connection }))
    expectTypeOf(result.current).toEqualTypeOf<UseWorkflowResult<unknown, unknown, unknown>>()
    expectTypeOf(result.current.start).parameter(0).toEqualTypeOf<unknown>()
    expectTypeOf(result.current.output).toEqualTypeOf<unknown>()
    expectTypeOf(result.current.status).toEqualTypeOf<'idle' | 'running' | 'paused' | 'finished' | 'error' | 'aborted'>()
  })

  it('takes its types from a shared client, and accepts no client options with it', () => {
    const client = new WorkflowClient({ connection, input: z4.object({ topic: z4.string() }), output: z4.object({ words: z4.number() }) })
    const { result } = renderHook(() => useWorkflow({ client }))
    expectTypeOf(result.current.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    expectTypeOf(result.current.output).toEqualTypeOf<{ words: number } | undefined>()
    expectTypeOf(result.current.client).toEqualTypeOf(client)
    // @ts-expect-error a shared client is configured by its owner
    void (() => useWorkflow({ client, onFinish: () => {} }))
  })

  it('returns actions with the client signatures', () => {
    const { result } = renderHook(() => useWorkflow({ connection, output: z4.string() }))
    expectTypeOf(result.current.approve).toEqualTypeOf<(approved: boolean, feedback?: string) => Promise<WorkflowClientState<string, unknown>>>()
    expectTypeOf(result.current.disconnect).returns.toEqualTypeOf<void>()
  })
})
