/**
 * Type-level checks: `pnpm --filter @stepstream/server typecheck` compiles
 * this file, so a wrong inference or a missing error fails the build. The
 * runtime part only makes sure the definitions are real objects.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  approve,
  defineAgent,
  defineOrchestrator,
  defineWorkflow,
  mockAgent,
  succeed,
  waitForSignal,
  type ApprovalResult,
  type Workflow,
} from '@stepstream/server'

const writer = mockAgent({
  name: 'writer',
  input: z.object({ topic: z.string() }),
  output: z.object({ draft: z.string(), words: z.number() }),
  result: ({ topic }) => ({ draft: topic, words: 1 }),
})
const counter = defineAgent({ name: 'counter', run: async ({ input }: { input: string }) => input.length })

describe('type inference', () => {
  it('types agent calls, approvals, signals and the workflow itself from the schemas', () => {
    const article = defineWorkflow({
      name: 'article',
      input: z.object({ topic: z.string() }),
      output: z.object({ article: z.string() }),
      initialize: () => ({ drafts: 0 }),
      agents: { writer, counter },
      run: async function* ({ input, state, agents }) {
        expectTypeOf(input).toEqualTypeOf<{ topic: string }>()
        expectTypeOf(state).toEqualTypeOf<{ drafts: number }>()
        const draft = yield* agents.writer({ topic: input.topic })
        expectTypeOf(draft).toEqualTypeOf<{ draft: string; words: number }>()
        const length = yield* agents.counter(draft.draft)
        expectTypeOf(length).toEqualTypeOf<number>()
        // @ts-expect-error the writer's input is checked against its schema
        yield* agents.writer({ subject: 'x' })
        // @ts-expect-error unknown agents do not exist
        yield* agents.editor({})
        const decision = yield* approve({ title: 'Publish?' })
        expectTypeOf(decision).toEqualTypeOf<ApprovalResult>()
        const payload = yield* waitForSignal('paid', { payload: z.object({ amount: z.number() }) })
        expectTypeOf(payload).toEqualTypeOf<{ amount: number }>()
        state.drafts += 1
        return succeed({ article: draft.draft })
      },
    })
    expectTypeOf(article).toEqualTypeOf<Workflow<{ topic: string }, { article: string }, { drafts: number }>>()

    const parent = defineWorkflow({
      name: 'parent',
      agents: { article },
      run: async function* ({ agents }) {
        const result = yield* agents.article({ topic: 't' })
        expectTypeOf(result).toEqualTypeOf<{ article: string }>()
        return succeed(result.article)
      },
    })
    expect(parent.kind).toBe('workflow')
  })

  it('checks the router decision against the agent map', () => {
    const orchestrator = defineOrchestrator({
      name: 'routed',
      agents: { writer, counter },
      router: ({ turn }) => {
        if (turn === 0) return { agent: 'writer', input: { topic: 'x' } }
        if (turn === 1) return { agent: 'counter', input: 'abc' }
        return { done: true, output: 'finished' }
      },
    })
    expectTypeOf(orchestrator).toExtend<Workflow<unknown, string>>()

    defineOrchestrator({
      name: 'wrong-input',
      agents: { writer },
      // @ts-expect-error the writer needs { topic }
      router: () => ({ agent: 'writer', input: { nope: 1 } }),
    })
    expect(orchestrator.name).toBe('routed')
  })
})
