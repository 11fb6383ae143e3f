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
  fail,
  mockAgent,
  succeed,
  waitForSignal,
  type AgentOutput,
  type ApprovalResult,
  type Failed,
  type Jsonified,
  type Succeeded,
  type Workflow,
  type WorkflowResult,
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
        return { article: draft.draft }
      },
    })
    expectTypeOf(article).toEqualTypeOf<Workflow<{ topic: string }, { article: string }, { drafts: number }>>()

    const parent = defineWorkflow({
      name: 'parent',
      agents: { article },
      run: async function* ({ agents }) {
        const result = yield* agents.article({ topic: 't' })
        expectTypeOf(result).toEqualTypeOf<{ article: string }>()
        return result.article
      },
    })
    expectTypeOf(parent).toEqualTypeOf<Workflow<unknown, string, Record<string, unknown>>>()
  })

  it('infers the output union from succeed() and fail() when there is no output schema', () => {
    const blog = defineWorkflow({
      name: 'blog',
      input: z.object({ topic: z.string() }),
      agents: { writer },
      run: async function* ({ input, agents }) {
        const draft = yield* agents.writer({ topic: input.topic })
        const decision = yield* approve({ title: 'Publish?' })
        if (!decision.approved) return fail('Rejected by the reviewer')
        return succeed({ article: draft.draft })
      },
    })
    type Output = { ok: true; article: string } | { ok: false; reason: string }
    expectTypeOf(blog).toEqualTypeOf<Workflow<{ topic: string }, Output, Record<string, unknown>>>()
    expectTypeOf<WorkflowResult<{ article: string }>>().toEqualTypeOf<Output>()
    expectTypeOf(succeed({ article: 'a', words: 1 })).toEqualTypeOf<Succeeded<{ article: string; words: number }>>()
    expectTypeOf(fail('x')).toEqualTypeOf<Failed>()

    const parent = defineWorkflow({
      name: 'blog-parent',
      agents: { blog },
      run: async function* ({ agents }) {
        const result = yield* agents.blog({ topic: 't' })
        // A nested fail(...) is a value: the parent narrows on `ok`.
        if (!result.ok) {
          expectTypeOf(result.reason).toEqualTypeOf<string>()
          return null
        }
        expectTypeOf(result.article).toEqualTypeOf<string>()
        return result.article
      },
    })
    expectTypeOf(parent).toEqualTypeOf<Workflow<unknown, string | null, Record<string, unknown>>>()
  })

  it('takes the output type from the schema when one is given, and checks run against it', () => {
    const schema = z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), article: z.string() }),
      z.object({ ok: z.literal(false), reason: z.string() }),
    ])
    const typed = defineWorkflow({
      name: 'typed',
      output: schema,
      run: async function* () {
        if (Math.random() > 0.5) return fail('no')
        return succeed({ article: 'yes' })
      },
    })
    expectTypeOf(typed).toEqualTypeOf<Workflow<unknown, z.infer<typeof schema>, Record<string, unknown>>>()

    defineWorkflow({
      name: 'mistyped',
      output: z.object({ article: z.string() }),
      // @ts-expect-error run must return what the output schema describes
      run: async function* () {
        return { article: 42 }
      },
    })

    // Compiled, never called: these only have to be type errors (their runtime refusals are tested in authoring).
    const misuses = () => {
      // @ts-expect-error succeed() takes an object
      succeed('text')
      // @ts-expect-error an `ok` key would contradict succeed()
      succeed({ ok: false, reason: 'x' })
    }
    expect(misuses).toBeTypeOf('function')
    expect(typed.kind).toBe('workflow')
  })

  it('types what yield* gives the body as the JSON it is: a Date is a string, functions are gone', () => {
    const scheduler = defineAgent({
      name: 'scheduler',
      run: async () => ({ at: new Date(0), note: undefined as string | undefined, format: (date: Date) => date.toISOString() }),
    })
    const booking = defineWorkflow({
      name: 'booking',
      agents: { scheduler },
      run: async function* ({ agents }) {
        const slot = yield* agents.scheduler()
        expectTypeOf(slot).toEqualTypeOf<{ at: string; note: string | undefined }>()
        const reply = yield* waitForSignal('confirm', { payload: z.object({ when: z.coerce.date(), seats: z.number() }) })
        expectTypeOf(reply).toEqualTypeOf<{ when: string; seats: number }>()
        const anything = yield* waitForSignal('anything')
        expectTypeOf(anything).toEqualTypeOf<unknown>()
        return { at: new Date(slot.at) }
      },
    })
    // The workflow's own output type is what `run` returns; a parent gets it as JSON.
    expectTypeOf(booking).toEqualTypeOf<Workflow<unknown, { at: Date }, Record<string, unknown>>>()
    defineWorkflow({
      name: 'booking-parent',
      agents: { booking },
      run: async function* ({ agents }) {
        const { at } = yield* agents.booking()
        expectTypeOf(at).toEqualTypeOf<string>()
        return at
      },
    })
    expectTypeOf<Jsonified<Date[]>>().toEqualTypeOf<string[]>()
    expectTypeOf<Jsonified<Date | undefined>>().toEqualTypeOf<string | undefined>()
    expectTypeOf<Jsonified<void>>().toEqualTypeOf<undefined>()
    // A recursive JSON type is already JSON: it comes back as it is (taking it apart would never end).
    type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
    expectTypeOf<Jsonified<Json>>().toEqualTypeOf<Json>()
    expectTypeOf<Jsonified<[Date, undefined, () => void]>>().toEqualTypeOf<[string, null, null]>()
    expectTypeOf<Jsonified<{ label: string | (() => string) }>>().toEqualTypeOf<{ label: string | undefined }>()
    expectTypeOf<Jsonified<{ total: number; limit?: number }>>().toEqualTypeOf<{ total: number; limit?: number }>()
    expectTypeOf<Jsonified<{ tags: Set<string>; id: symbol; kind: 'a' | 'b' }>>().toEqualTypeOf<{ tags: Record<string, never>; kind: 'a' | 'b' }>()
    // JSON.stringify(new Error('x')) is '{}': name, message and stack are not enumerable.
    class BusyError extends Error {
      readonly code = 'E_BUSY'
    }
    expectTypeOf<Jsonified<Error>>().toEqualTypeOf<{}>()
    expectTypeOf<Jsonified<{ failure: BusyError }>>().toEqualTypeOf<{ failure: { readonly code: 'E_BUSY' } }>()
    expect(JSON.parse(JSON.stringify({ failure: new BusyError('busy') }))).toEqual({ failure: { code: 'E_BUSY' } })
    expectTypeOf<Jsonified<{ ok: true; at: Date } | { ok: false; reason: string }>>().toEqualTypeOf<{ ok: true; at: string } | { ok: false; reason: string }>()
  })

  it("types a text-stream agent's output as the text it streams, not as the stream", () => {
    const poet = defineAgent({
      name: 'poet',
      run: async function* () {
        yield 'Roses '
        yield 'are red'
      },
    })
    expectTypeOf<AgentOutput<typeof poet>>().toEqualTypeOf<string>()
    // An output schema still has the last word on what the text becomes.
    const counted = defineAgent({ name: 'counted', output: z.string().transform((text) => text.length), run: async function* () {
      yield 'abc'
    } })
    expectTypeOf<AgentOutput<typeof counted>>().toEqualTypeOf<number>()
    // The other shapes are unchanged.
    const streaming = defineAgent({ name: 'streaming', run: () => ({ stream: poet as never as AsyncIterable<string>, output: Promise.resolve(3) }) })
    expectTypeOf<AgentOutput<typeof streaming>>().toEqualTypeOf<number>()
    defineWorkflow({
      name: 'poem',
      agents: { poet },
      run: async function* ({ agents }) {
        const poem = yield* agents.poet()
        expectTypeOf(poem).toEqualTypeOf<string>()
        return poem.toUpperCase()
      },
    })
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

    const clock = defineAgent({ name: 'clock', run: async () => ({ at: new Date(0) }) })
    defineOrchestrator({
      name: 'timed',
      agents: { clock },
      router: ({ history }) => {
        const last = history.at(-1)
        if (!last) return { agent: 'clock', input: undefined }
        // The history holds what the body got from each step: JSON.
        expectTypeOf(last.output).toEqualTypeOf<{ at: string }>()
        return { done: true, output: last.output.at }
      },
    })

    defineOrchestrator({
      name: 'wrong-input',
      agents: { writer },
      // @ts-expect-error the writer needs { topic }
      router: () => ({ agent: 'writer', input: { nope: 1 } }),
    })
    expect(orchestrator.name).toBe('routed')
  })
})
