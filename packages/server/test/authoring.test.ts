import { describe, expect, it } from 'vitest'
import jsonPatch from 'fast-json-patch'
import { z } from 'zod'
import type { JsonPatchOperation } from '@stepstream/protocol'
import {
  approve,
  createWorkflowHandler,
  defineAgent,
  defineWorkflow,
  fail,
  inMemoryRunStore,
  mockAgent,
  sleep,
  succeed,
  waitForSignal,
  WorkflowError,
  type ApproveOptions,
  type Workflow,
} from '@stepstream/server'
import { approvalIdOf, eventsOfType, post, postRequest, readLog, runIdOf, types, waitForStatus, waitUntil } from './helpers.js'

function serve(workflow: Workflow) {
  const store = inMemoryRunStore()
  return { store, handler: createWorkflowHandler({ workflow, runStore: store }) }
}

const writer = mockAgent({
  name: 'writer',
  input: z.object({ topic: z.string() }),
  output: z.object({ draft: z.string() }),
  text: ({ topic }) => `Draft about ${topic}`,
  result: ({ topic }) => ({ draft: `draft:${topic}` }),
})

describe('agent steps', () => {
  it('wraps an agent call in STEP_STARTED/STEP_FINISHED with its text nested inside', async () => {
    const workflow = defineWorkflow({
      name: 'one-step',
      input: z.object({ topic: z.string() }),
      agents: { writer },
      run: async function* ({ input, agents }) {
        const { draft } = yield* agents.writer({ topic: input.topic })
        return { draft }
      },
    })
    const { handler } = serve(workflow)
    const result = await post(handler, { input: { topic: 'cats' } })

    expect(result.status).toBe(200)
    expect(types(result.events)).toEqual([
      'RUN_STARTED',
      'STATE_SNAPSHOT',
      'STEP_STARTED',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'STEP_FINISHED',
      'RUN_FINISHED',
    ])
    expect(result.events.map(({ index }) => index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const [started] = eventsOfType(result.events, 'STEP_STARTED')
    const [finished] = eventsOfType(result.events, 'STEP_FINISHED')
    const [message] = eventsOfType(result.events, 'TEXT_MESSAGE_START')
    expect(started).toMatchObject({ stepName: 'writer', metadata: { stepType: 'agent' } })
    expect(finished!.metadata).toEqual({ stepId: started!.metadata!.stepId, result: { draft: 'draft:cats' } })
    expect(message!.metadata).toEqual({ stepId: started!.metadata!.stepId })
    const text = eventsOfType(result.events, 'TEXT_MESSAGE_CONTENT').map((event) => event.delta).join('')
    expect(text).toBe('Draft about cats')
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' }, result: { draft: 'draft:cats' } })
  })

  it('accepts the three agent return shapes', async () => {
    const plain = defineAgent({ name: 'plain', run: async ({ input }: { input: number }) => input * 2 })
    const streaming = defineAgent({
      name: 'streaming',
      run: () => ({
        stream: (async function* () {
          yield 'thinking'
          yield { type: 'TOOL_CALL_START' as const, toolCallId: 't1', toolCallName: 'search' }
          yield { type: 'TOOL_CALL_ARGS' as const, toolCallId: 't1', delta: '{"q":"x"}' }
          yield { type: 'TOOL_CALL_END' as const, toolCallId: 't1' }
        })(),
        output: Promise.resolve({ found: 3 }),
      }),
    })
    const textOnly = defineAgent({
      name: 'text-only',
      run: async function* () {
        yield 'hello '
        yield 'world'
      },
    })
    const seen: unknown[] = []
    const workflow = defineWorkflow({
      name: 'shapes',
      agents: { plain, streaming, textOnly },
      run: async function* ({ agents }) {
        seen.push(yield* agents.plain(21))
        seen.push(yield* agents.streaming())
        seen.push(yield* agents.textOnly())
        return null
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(seen).toEqual([42, { found: 3 }, 'hello world'])
    expect(types(result.events)).toContain('TOOL_CALL_ARGS')
    const toolStart = eventsOfType(result.events, 'TOOL_CALL_START')[0]
    expect(toolStart).toMatchObject({ toolCallId: 't1', toolCallName: 'search' })
    // The text message is closed before the tool call starts, so messages stay well nested.
    const order = types(result.events)
    expect(order.indexOf('TEXT_MESSAGE_END')).toBeLessThan(order.indexOf('TOOL_CALL_START'))
  })

  // An LLM adapter usually hands its provider's AG-UI events through as they are.
  it('streams an agent\'s own TEXT_MESSAGE_* events inside its step: text is its output, empty deltas are dropped, a message it left open is closed', async () => {
    const relay = defineAgent({
      name: 'relay',
      run: async function* () {
        yield { type: 'TEXT_MESSAGE_START' as const, messageId: 'm1', role: 'assistant' as const }
        yield { type: 'TEXT_MESSAGE_CONTENT' as const, messageId: 'm1', delta: 'Hello' }
        yield { type: 'TEXT_MESSAGE_CONTENT' as const, messageId: 'm1', delta: '' }
        yield { type: 'TEXT_MESSAGE_END' as const, messageId: 'm1' }
        yield ''
        yield ' world'
        yield { type: 'TEXT_MESSAGE_START' as const, messageId: 'm2', role: 'assistant' as const }
        yield { type: 'TEXT_MESSAGE_CONTENT' as const, messageId: 'm2', delta: '!' }
      },
    })
    const workflow = defineWorkflow({
      name: 'relaying',
      agents: { relay },
      run: async function* ({ agents }) {
        return { said: yield* agents.relay() }
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    const stepId = eventsOfType(result.events, 'STEP_STARTED')[0]!.metadata!.stepId
    expect(types(result.events).slice(2)).toEqual([
      'STEP_STARTED',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      // Plain text opens a message of the step's own, closed when the agent opens one.
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'TEXT_MESSAGE_START',
      'TEXT_MESSAGE_CONTENT',
      'TEXT_MESSAGE_END',
      'STEP_FINISHED',
      'RUN_FINISHED',
    ])
    expect(eventsOfType(result.events, 'TEXT_MESSAGE_START').map((event) => event.metadata)).toEqual([{ stepId }, { stepId }, { stepId }])
    expect(eventsOfType(result.events, 'TEXT_MESSAGE_CONTENT').map((event) => event.delta)).toEqual(['Hello', ' world', '!'])
    expect(eventsOfType(result.events, 'TEXT_MESSAGE_END').at(-1)).toMatchObject({ messageId: 'm2' })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { said: 'Hello world!' } })
  })

  it.each([
    ['a run lifecycle event', { type: 'RUN_FINISHED', threadId: 't', runId: 'r' }, 'RUN_FINISHED'],
    ['a number', 42, 'number'],
  ])('fails the step, naming it, when an agent streams %s', async (_name, chunk, named) => {
    const rogue = defineAgent({
      name: 'rogue',
      run: async function* () {
        yield 'before'
        yield chunk as never
      },
    })
    const workflow = defineWorkflow({
      name: 'rogue-stream',
      agents: { rogue },
      run: async function* ({ agents }) {
        return yield* agents.rogue()
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(types(result.events).slice(-3)).toEqual(['TEXT_MESSAGE_END', 'STEP_FINISHED', 'RUN_ERROR'])
    const { error } = eventsOfType(result.events, 'STEP_FINISHED')[0]!.metadata as { error: { name: string; message: string } }
    expect(error).toMatchObject({ name: 'TypeError', message: expect.stringContaining(`not ${named}`) })
    expect(types(result.events)).not.toContain('RUN_FINISHED')
  })

  it('fails the step with invalid_input, before the agent runs, when the body calls it with input its schema refuses', async () => {
    let ran = false
    const strict = defineAgent({
      name: 'strict',
      input: z.object({ topic: z.string() }),
      run: async () => {
        ran = true
        return 1
      },
    })
    const workflow = defineWorkflow({
      name: 'bad-agent-input',
      agents: { strict },
      run: async function* ({ agents }) {
        return yield* agents.strict({ topic: 7 } as never)
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(ran).toBe(false)
    expect(types(result.events).slice(2)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'RUN_ERROR'])
    expect(eventsOfType(result.events, 'STEP_FINISHED')[0]!.metadata!.error).toMatchObject({ message: expect.stringContaining('Input of agent "strict" is invalid') })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_input' })
  })

  it('fails the step and the run when an agent throws, closing its text message first', async () => {
    const flaky = mockAgent({ name: 'flaky', text: 'partial output', result: () => 1, fail: 'model overloaded' })
    const workflow = defineWorkflow({
      name: 'failing',
      agents: { flaky },
      run: async function* ({ agents }) {
        yield* agents.flaky()
        return 'unreachable'
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    const order = types(result.events)
    expect(order.slice(-3)).toEqual(['TEXT_MESSAGE_END', 'STEP_FINISHED', 'RUN_ERROR'])
    expect(eventsOfType(result.events, 'STEP_FINISHED')[0]!.metadata!.error).toEqual({ name: 'StepFailedError', message: 'model overloaded' })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: 'model overloaded' })
  })

  it('lets the workflow catch a failed step and carry on', async () => {
    const flaky = mockAgent({ name: 'flaky', result: () => 1, fail: 'nope' })
    const steady = mockAgent({ name: 'steady', result: () => 2 })
    const workflow = defineWorkflow({
      name: 'recovering',
      agents: { flaky, steady },
      run: async function* ({ agents }) {
        try {
          return { value: yield* agents.flaky(), reason: 'none' }
        } catch (error) {
          return { value: yield* agents.steady(), reason: (error as Error).message }
        }
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { value: 2, reason: 'nope' } })
  })

  it('ends the run with RUN_ERROR invalid_output when an agent output fails its schema', async () => {
    const liar = defineAgent({ name: 'liar', output: z.object({ n: z.number() }), run: async () => ({ n: 'not a number' }) as never })
    const workflow = defineWorkflow({
      name: 'bad-agent-output',
      agents: { liar },
      run: async function* ({ agents }) {
        return yield* agents.liar()
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output' })
    expect(eventsOfType(result.events, 'STEP_FINISHED')[0]!.metadata!.error).toBeDefined()
  })

  it.each([
    ['a BigInt', () => ({ n: 10n })],
    ['a cycle', () => {
      const node: Record<string, unknown> = {}
      node.self = node
      return node
    }],
  ])('fails the step once with invalid_output when an agent returns %s, which JSON cannot hold', async (_name, make) => {
    const odd = defineAgent({ name: 'odd', run: async () => make() })
    const workflow = defineWorkflow({
      name: 'not-json-agent-output',
      agents: { odd },
      run: async function* ({ agents }) {
        return yield* agents.odd()
      },
    })
    const { store, handler } = serve(workflow)
    const result = await post(handler, { input: null })
    expect(types(result.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_ERROR'])
    expect(eventsOfType(result.events, 'STEP_FINISHED')[0]!.metadata!.error).toMatchObject({ message: expect.stringContaining('not JSON') })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output' })
    expect(await readLog(store, runIdOf(result))).toEqual(result.events)
  })

  it('logs an agent result as it was when its step finished, whatever the body does with it afterwards', async () => {
    const maker = defineAgent({ name: 'maker', run: async () => ({ items: ['a'] }) })
    const workflow = defineWorkflow({
      name: 'mutating',
      agents: { maker },
      run: async function* ({ agents }) {
        const made = yield* agents.maker()
        made.items.push('changed later')
        return null
      },
    })
    const { store, handler } = serve(workflow)
    const runId = runIdOf(await post(handler, { input: null }))
    const finished = eventsOfType(await readLog(store, runId), 'STEP_FINISHED')[0]!
    expect(finished.metadata!.result).toEqual({ items: ['a'] })
  })

  it('treats a CUSTOM event in an agent stream like emit: its value is copied as JSON, and one JSON cannot hold fails the step', async () => {
    const progress = { done: 1 }
    const streaming = defineAgent({
      name: 'streaming',
      run: async function* () {
        yield { type: 'CUSTOM' as const, name: 'progress', value: progress }
        progress.done = 2
        yield { type: 'CUSTOM' as const, name: 'progress', value: 3n }
      },
    })
    const workflow = defineWorkflow({
      name: 'custom-chunks',
      agents: { streaming },
      run: async function* ({ agents }) {
        return yield* agents.streaming()
      },
    })
    const { store, handler } = serve(workflow)
    const result = await post(handler, { input: null })
    expect(eventsOfType(result.events, 'CUSTOM').map((event) => event.value)).toEqual([{ done: 1 }])
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed' })
    expect(await readLog(store, runIdOf(result))).toEqual(result.events)
  })

  it('ends the run with RUN_ERROR invalid_output when the workflow output fails its schema', async () => {
    const workflow = defineWorkflow({
      name: 'bad-output',
      output: z.object({ article: z.string() }),
      run: async function* () {
        return { article: 42 } as unknown as { article: string }
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output' })
  })

  it('refuses an invalid start input with 400 invalid_input and the schema issues, creating no run', async () => {
    const workflow = defineWorkflow({
      name: 'strict',
      input: z.object({ topic: z.string().min(3) }),
      run: async function* () {
        return null
      },
    })
    const { handler, store } = serve(workflow)
    const response = await handler(
      new Request('http://test.local/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":{"topic":"x"}}' }),
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; issues: Array<{ path: string[] }> } }
    expect(body.error.code).toBe('invalid_input')
    expect(body.error.issues[0]!.path).toEqual(['topic'])
    expect(store.stats().runs).toBe(0)
  })

  it('ends the run with RUN_ERROR and the error code when the workflow throws', async () => {
    const workflow = defineWorkflow({
      name: 'giving-up',
      run: async function* () {
        throw new WorkflowError('declined', 'not today')
      },
    })
    const { handler, store } = serve(workflow)
    const result = await post(handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'declined', message: 'not today' })
    expect((await store.getRun(runIdOf(result)))!.status).toBe('failed')
  })
})

describe('outputs', () => {
  // The blog's shape: both branches are outputs of a run that finished, and the schema covers both.
  const outcome = z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), article: z.string() }),
    z.object({ ok: z.literal(false), reason: z.string() }),
  ])
  const publishing = defineWorkflow({
    name: 'publishing',
    input: z.object({ publish: z.boolean() }),
    output: outcome,
    run: async function* ({ input }) {
      if (!input.publish) return fail('Rejected by the reviewer')
      return succeed({ article: 'Hello' })
    },
  })

  it('succeed(value) finishes the run with { ok: true, ...value } as its result', async () => {
    const { handler, store } = serve(publishing)
    const result = await post(handler, { input: { publish: true } })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { ok: true, article: 'Hello' }, outcome: { type: 'success' } })
    // The record follows the log's last event by a moment: wait for it rather than race it.
    await waitForStatus(store, runIdOf(result), 'finished')
  })

  it('fail(reason) also finishes the run: { ok: false, reason } is an output, not a RUN_ERROR', async () => {
    const { handler, store } = serve(publishing)
    const result = await post(handler, { input: { publish: false } })
    expect(types(result.events)).not.toContain('RUN_ERROR')
    expect(result.events.at(-1)!.event).toMatchObject({
      type: 'RUN_FINISHED',
      result: { ok: false, reason: 'Rejected by the reviewer' },
      outcome: { type: 'success' },
    })
    // The record follows the log's last event by a moment: wait for it rather than race it.
    await waitForStatus(store, runIdOf(result), 'finished')
  })

  it('takes any JSON value run returns as the output (null in metadata, which AG-UI allows), and none as no result', async () => {
    const values = [[1, 'two', { three: 3 }], 'plain', 0, false, null]
    for (const value of values) {
      const workflow = defineWorkflow({
        name: 'plain',
        run: async function* () {
          return value
        },
      })
      const result = await post(serve(workflow).handler, { input: null })
      const carried = value === null ? { metadata: { result: null } } : { result: value }
      expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', ...carried })
    }
    const silent = defineWorkflow({ name: 'silent', run: async function* () {} })
    const finished = (await post(serve(silent).handler, { input: null })).events.at(-1)!.event
    expect(finished).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
    expect('result' in finished).toBe(false)
  })

  it('ends with RUN_ERROR invalid_output when the returned value is not JSON', async () => {
    const workflow = defineWorkflow({
      name: 'bigint',
      run: async function* () {
        return { big: 1n }
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output' })
  })

  it('succeed and fail build plain values and refuse what would blur the discriminant', () => {
    expect(succeed({ article: 'a', words: 1 })).toEqual({ ok: true, article: 'a', words: 1 })
    expect(succeed({})).toEqual({ ok: true })
    expect(fail('no')).toEqual({ ok: false, reason: 'no' })
    expect(() => succeed('text' as never)).toThrow(TypeError)
    expect(() => succeed([1] as never)).toThrow(TypeError)
    // @ts-expect-error an `ok` key would contradict succeed()
    expect(() => succeed({ ok: false, reason: 'x' })).toThrow(/"ok"/)
    expect(() => fail(42 as never)).toThrow(TypeError)
  })
})

describe('state', () => {
  it('seeds with initialize, snapshots after RUN_STARTED and sends one delta per changed yield boundary', async () => {
    const noop = mockAgent({ name: 'noop', result: () => null })
    const workflow = defineWorkflow({
      name: 'stateful',
      input: z.object({ start: z.number() }),
      initialize: (input) => ({ count: input.start, log: [] as string[], meta: { done: false } }),
      agents: { noop },
      run: async function* ({ state, agents }) {
        state.count += 1
        state.log.push('a')
        yield* agents.noop()
        // No change before this yield: no delta.
        yield* agents.noop()
        state.meta.done = true
        state.log = []
        return state.count
      },
    })
    const result = await post(serve(workflow).handler, { input: { start: 10 } })
    expect(types(result.events).slice(0, 3)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STATE_DELTA'])
    const snapshot = eventsOfType(result.events, 'STATE_SNAPSHOT')[0]!.snapshot
    expect(snapshot).toEqual({ count: 10, log: [], meta: { done: false } })
    const deltas = eventsOfType(result.events, 'STATE_DELTA')
    expect(deltas).toHaveLength(2)
    let state = snapshot
    for (const { delta } of deltas) state = jsonPatch.applyPatch(state, delta as JsonPatchOperation[], true, false).newDocument
    expect(state).toEqual({ count: 11, log: [], meta: { done: true } })
    // The last delta lands before the terminal event.
    expect(types(result.events).slice(-2)).toEqual(['STATE_DELTA', 'RUN_FINISHED'])
  })

  it('ends with RUN_ERROR invalid_state after an empty snapshot when the initial state fails its schema', async () => {
    const workflow = defineWorkflow({
      name: 'bad-state',
      state: z.object({ count: z.number() }),
      initialize: () => ({ count: 'none' }) as unknown as { count: number },
      run: async function* () {},
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(types(result.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'RUN_ERROR'])
    expect(eventsOfType(result.events, 'STATE_SNAPSHOT')[0]!.snapshot).toEqual({})
    expect(result.events.at(-1)!.event).toMatchObject({ code: 'invalid_state' })
  })

  it('ends with RUN_ERROR invalid_state after an empty snapshot when the initial state is not JSON', async () => {
    const workflow = defineWorkflow({
      name: 'bigint-state',
      initialize: () => ({ count: 1n }),
      run: async function* () {},
    })
    const { store, handler } = serve(workflow)
    const result = await post(handler, { input: null })
    expect(result.status).toBe(200)
    expect(types(result.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'RUN_ERROR'])
    expect(result.events.at(-1)!.event).toMatchObject({ code: 'invalid_state', message: expect.stringContaining('not JSON') })
    expect((await store.getRun(runIdOf(result)))!.status).toBe('failed')
  })

  it('emit sends CUSTOM events and refuses protocol names', async () => {
    const workflow = defineWorkflow({
      name: 'emitter',
      run: async function* ({ emit }) {
        emit('progress', { pct: 50 })
        try {
          emit('approval-requested', {})
        } catch (error) {
          emit('refused', (error as Error).message)
        }
        return null
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    const customs = eventsOfType(result.events, 'CUSTOM')
    expect(customs.map((event) => event.name)).toEqual(['progress', 'refused'])
    expect(customs[0]!.value).toEqual({ pct: 50 })
  })
})

describe('approvals and signals', () => {
  const reviewed = defineWorkflow({
    name: 'reviewed',
    agents: { writer },
    initialize: () => ({ attempts: 0 }),
    run: async function* ({ agents, state }) {
      let feedback = ''
      for (let attempt = 0; attempt < 3; attempt += 1) {
        state.attempts += 1
        const { draft } = yield* agents.writer({ topic: feedback || 'first' })
        const decision = yield* approve({ title: 'Publish?', description: draft })
        if (decision.approved) return succeed({ draft, attempts: state.attempts })
        feedback = decision.feedback ?? 'again'
      }
      return fail('too many rejections')
    },
  })

  it('pauses with approval-requested and an interrupt, and resumes in a new segment with the decision', async () => {
    const { handler, store } = serve(reviewed)
    const first = await post(handler, { input: null })
    const runId = runIdOf(first)
    expect(types(first.events).slice(-4)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'CUSTOM:approval-requested', 'RUN_FINISHED'])
    const approvalId = approvalIdOf(first)
    const interrupt = first.events.at(-1)!.event
    expect(interrupt).toMatchObject({
      type: 'RUN_FINISHED',
      outcome: { type: 'interrupt', interrupts: [{ id: approvalId, reason: 'approval', message: 'Publish?', metadata: { description: 'draft:first' } }] },
    })
    expect(await store.getRun(runId)).toMatchObject({ status: 'paused', pending: { kind: 'approval', approvalId } })

    // Rejected with feedback: the workflow sees the feedback and writes again.
    const second = await post(handler, { runId, approval: { approvalId, approved: false, feedback: 'shorter' } })
    expect(second.events[0]!.index).toBe(first.events.at(-1)!.index + 1)
    expect(types(second.events).slice(0, 4)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED'])
    expect(eventsOfType(second.events, 'STEP_FINISHED')[0]!.metadata!.result).toEqual({ approved: false, approvalId, feedback: 'shorter' })
    expect(eventsOfType(second.events, 'STEP_FINISHED')[1]!.metadata!.result).toEqual({ draft: 'draft:shorter' })

    const third = await post(handler, { runId, approval: { approvalId: approvalIdOf(second), approved: true } })
    expect(third.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { ok: true, draft: 'draft:shorter', attempts: 2 } })
    const log = await readLog(store, runId)
    expect(log.map(({ index }) => index)).toEqual(log.map((_, position) => position))
    expect((await store.getRun(runId))!.segmentStarts).toEqual([0, second.events[0]!.index, third.events[0]!.index])
  })

  it('opens the approval step in the pausing segment and finishes that same step with the decision', async () => {
    const { handler } = serve(reviewed)
    const first = await post(handler, { input: null })
    // Opened at the pause and closed as suspended (AG-UI allows no open step at RUN_FINISHED).
    const [opened, suspended] = first.events.slice(-4, -2).map(({ event }) => event)
    expect(opened).toMatchObject({ type: 'STEP_STARTED', stepName: 'Publish?', metadata: { stepType: 'approval' } })
    const stepId = opened!.metadata!.stepId
    expect(suspended).toMatchObject({ type: 'STEP_FINISHED', stepName: 'Publish?', metadata: { stepId, suspended: true } })
    expect(suspended!.metadata!.result).toBeUndefined()

    const approvalId = approvalIdOf(first)
    const second = await post(handler, { runId: runIdOf(first), approval: { approvalId, approved: true } })
    // Reopened under the same id, so its start is the pause and its end the decision.
    const [reopened, decided] = second.events.slice(2, 4).map(({ event }) => event)
    expect(reopened).toEqual({ ...opened, timestamp: reopened!.timestamp })
    expect(decided).toMatchObject({ type: 'STEP_FINISHED', stepName: 'Publish?', metadata: { stepId, result: { approved: true, approvalId } } })
    expect(decided!.metadata!.suspended).toBeUndefined()
  })

  it('waits for a named signal and returns its validated payload', async () => {
    const workflow = defineWorkflow({
      name: 'payment',
      run: async function* () {
        const paid = yield* waitForSignal('payment', { payload: z.object({ amount: z.number() }), meta: { currency: 'EUR' } })
        return { received: paid.amount }
      },
    })
    const { handler } = serve(workflow)
    const first = await post(handler, { input: null })
    const runId = runIdOf(first)
    expect(types(first.events).slice(-4)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'CUSTOM:run.paused', 'RUN_FINISHED'])
    const opened = first.events.at(-4)!.event
    expect(opened).toMatchObject({ stepName: 'payment', metadata: { stepType: 'signal' } })
    const stepId = opened.metadata!.stepId
    expect(first.events.at(-3)!.event.metadata).toEqual({ stepId, suspended: true })
    expect(first.events.at(-2)!.event).toMatchObject({ type: 'CUSTOM', name: 'run.paused', value: { signalName: 'payment', meta: { currency: 'EUR' } } })
    expect(first.events.at(-1)!.event).toMatchObject({
      outcome: { type: 'interrupt', interrupts: [{ id: 'signal:payment', reason: 'signal', metadata: { signalName: 'payment' } }] },
    })
    const second = await post(handler, { runId, signal: { signalId: 's1', name: 'payment', payload: { amount: 12 } } })
    expect(types(second.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_FINISHED'])
    expect(second.events[2]!.event).toMatchObject({ stepName: 'payment', metadata: { stepId, stepType: 'signal' } })
    expect(second.events[3]!.event.metadata).toEqual({ stepId, result: { amount: 12 } })
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { received: 12 } })
  })

  /** Sleeps `ms`, then returns 'awake'. */
  const sleeper = (ms: number) =>
    defineWorkflow({
      name: 'sleeper',
      run: async function* () {
        yield* sleep(ms)
        return 'awake'
      },
    })

  it('sleep pauses with run.paused and wakes itself at the deadline', async () => {
    const { handler, store } = serve(sleeper(10))
    const first = await post(handler, { input: null })
    const runId = runIdOf(first)
    expect(types(first.events).slice(-4)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'CUSTOM:run.paused', 'RUN_FINISHED'])
    const opened = first.events.at(-4)!.event
    expect(opened).toMatchObject({ stepName: 'sleep', metadata: { stepType: 'signal' } })
    const stepId = opened.metadata!.stepId
    // The reserved name says "no signal ends this": only the deadline does.
    expect(first.events.at(-2)!.event).toMatchObject({ type: 'CUSTOM', name: 'run.paused', value: { signalName: '__sleep', deadline: expect.any(String) } })
    expect(first.events.at(-1)!.event).toMatchObject({ outcome: { interrupts: [{ id: 'signal:__sleep', reason: 'signal' }] } })
    await waitForStatus(store, runId, 'finished')
    const log = await readLog(store, runId)
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'awake' })
    const woke = log.slice(first.events.length)
    expect(types(woke)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_FINISHED'])
    expect(woke[2]!.event).toMatchObject({ stepName: 'sleep', metadata: { stepId, stepType: 'signal' } })
    expect(woke[3]!.event.metadata).toEqual({ stepId, result: null })
  })

  it('a client signal with the sleep\'s name cannot wake it: reserved names are refused with 400', async () => {
    const { handler, store } = serve(sleeper(60_000))
    const first = await post(handler, { input: null })
    const runId = runIdOf(first)
    const answer = async (body: unknown) => {
      const response = await handler(postRequest(body))
      return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code }
    }
    expect(await answer({ runId, signal: { signalId: 's1', name: '__sleep' } })).toEqual({ status: 400, code: 'invalid_request' })
    // The name of its step is no signal name either: the run waits for "__sleep".
    expect(await answer({ runId, signal: { signalId: 's2', name: 'sleep' } })).toEqual({ status: 409, code: 'signal_mismatch' })
    // AG-UI's resume names the interrupt it answers.
    const resume = [{ interruptId: 'signal:__sleep', status: 'resolved' }]
    expect(await answer({ threadId: runId, runId: 'r2', messages: [], resume })).toEqual({ status: 400, code: 'invalid_request' })
    expect(await store.getRun(runId)).toMatchObject({ status: 'paused', pending: { signalName: '__sleep' } })
    expect(await readLog(store, runId)).toEqual(first.events)
  })

  it('waitForSignal("sleep") is an ordinary signal, untouched by sleep()', async () => {
    const workflow = defineWorkflow({
      name: 'sleep-signal',
      run: async function* () {
        yield* sleep(1)
        return yield* waitForSignal<string>('sleep')
      },
    })
    const { handler, store } = serve(workflow)
    const runId = runIdOf(await post(handler, { input: null }))
    // The sleep wakes at its deadline; then the body waits for the user's "sleep" signal.
    const waitingFor = async () => {
      const pending = (await store.getRun(runId))?.pending
      return pending?.kind === 'signal' ? pending.signalName : undefined
    }
    await waitUntil(async () => (await waitingFor()) === 'sleep', 'the wait for the "sleep" signal')
    const answered = await post(handler, { runId, signal: { signalId: 's1', name: 'sleep', payload: 'woken' } })
    expect(answered.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'woken' })
  })

  it('refuses a workflow that waits for a reserved signal name', async () => {
    const workflow = defineWorkflow({
      name: 'impostor',
      run: async function* () {
        return yield* waitForSignal('__sleep')
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', message: expect.stringMatching(/"__sleep".*reserved/) })
    expect(types(result.events)).not.toContain('CUSTOM:run.paused')
  })

  // A plain JS body may pass anything: a name that is not a string gets the same message, not a crash inside the check.
  it.each<string>(['', 'x'.repeat(10_001), undefined as never, 42 as never])('refuses a wait for a signal no request can name (%#: empty, longer than a request may send, or not a string), instead of pausing for good', async (name) => {
    const workflow = defineWorkflow({
      name: 'unreachable',
      run: async function* () {
        return yield* waitForSignal(name)
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', message: expect.stringMatching(/^waitForSignal\(.*\): the signal name/) })
    expect(types(result.events)).not.toContain('CUSTOM:run.paused')
  })

  // A plain JS body may pass anything: a client would show an approval card whose title is not text (or is missing).
  it.each<[string, unknown]>([
    ['no options', undefined],
    ['no title', {}],
    ['an empty title', { title: '' }],
    ['a title that is a number', { title: 42 }],
    ['a description that is not a string', { title: 'Go?', description: { text: 'x' } }],
  ])('refuses approve() with %s, instead of asking for it', async (_, options) => {
    const workflow = defineWorkflow({
      name: 'untitled',
      run: async function* () {
        return yield* approve(options as ApproveOptions)
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', message: expect.stringMatching(/^approve\(.*\): /) })
    expect(types(result.events)).not.toContain('CUSTOM:approval-requested')
  })

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1e20])('sleep(%s), which no date can end, fails the run with a message that says so', async (ms) => {
    const workflow = defineWorkflow({
      name: 'insomniac',
      run: async function* () {
        yield* sleep(ms)
      },
    })
    const result = await post(serve(workflow).handler, { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', message: expect.stringMatching(/^sleep\(.*\).*milliseconds/) })
    expect(types(result.events)).not.toContain('CUSTOM:run.paused')
  })

  it('fails a signal wait whose deadline passes with RUN_ERROR timeout in a new segment', async () => {
    const workflow = defineWorkflow({
      name: 'deadline',
      run: async function* () {
        yield* waitForSignal('reply', { deadline: Date.now() + 20 })
        return 'replied'
      },
    })
    const { handler, store } = serve(workflow)
    const first = await post(handler, { input: null })
    const runId = runIdOf(first)
    expect(first.events.at(-2)!.event).toMatchObject({ name: 'run.paused', value: { signalName: 'reply' } })
    expect((first.events.at(-2)!.event as { value: { deadline: string } }).value.deadline).toMatch(/^\d{4}-\d\d-\d\dT/)
    // Resuming a paused run returns at once; wait for the deadline's own segment, then read it.
    await waitForStatus(store, runId, 'failed')
    const resumed = await post(handler, { runId, startIndex: first.events.length })
    expect(types(resumed.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_ERROR'])
    // The signal step opened at the pause ends failed: nothing is left open.
    const stepId = first.events.at(-4)!.event.metadata!.stepId
    expect(resumed.events[2]!.event).toMatchObject({ stepName: 'reply', metadata: { stepId, stepType: 'signal' } })
    expect(resumed.events[3]!.event.metadata).toEqual({ stepId, error: { name: 'TimeoutError', message: 'No "reply" signal before the deadline' } })
    expect(resumed.events.at(-1)!.event).toMatchObject({ code: 'timeout' })
    expect((await store.getRun(runId))!.status).toBe('failed')
  })
})

describe('nested workflows', () => {
  const research = defineWorkflow({
    name: 'research',
    input: z.object({ topic: z.string() }),
    output: z.object({ notes: z.string() }),
    agents: { writer },
    run: async function* ({ input, agents }) {
      const { draft } = yield* agents.writer({ topic: input.topic })
      const check = yield* approve({ title: 'Notes ok?' })
      return { notes: `${draft}${check.approved ? '' : ' (unchecked)'}` }
    },
  })

  it('runs a workflow as a step of another, pausing and resuming inside it', async () => {
    const parent = defineWorkflow({
      name: 'parent',
      agents: { research, writer },
      run: async function* ({ agents }) {
        const { notes } = yield* agents.research({ topic: 'owls' })
        const { draft } = yield* agents.writer({ topic: notes })
        return { draft }
      },
    })
    const { handler } = serve(parent)
    const first = await post(handler, { input: null })
    const outer = eventsOfType(first.events, 'STEP_STARTED')[0]!
    expect(outer).toMatchObject({ stepName: 'research', metadata: { stepType: 'nested-workflow' } })
    // Paused inside the nested step: the open steps, innermost (the approval) first, are closed (suspended) before RUN_FINISHED.
    expect(types(first.events).slice(-5)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'STEP_FINISHED', 'CUSTOM:approval-requested', 'RUN_FINISHED'])
    const approval = first.events.at(-5)!.event
    expect(approval).toMatchObject({ stepName: 'Notes ok?', metadata: { stepType: 'approval' } })
    expect(first.events.at(-4)!.event.metadata).toEqual({ stepId: approval.metadata!.stepId, suspended: true })
    expect(first.events.at(-3)!.event.metadata).toEqual({ stepId: outer.metadata!.stepId, suspended: true })

    const second = await post(handler, { runId: runIdOf(first), approval: { approvalId: approvalIdOf(first), approved: true } })
    // Reopened outermost first, then the approval is finished inside the nested step.
    expect(types(second.events).slice(0, 5)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_STARTED', 'STEP_FINISHED'])
    const [reopened, reopenedApproval] = eventsOfType(second.events, 'STEP_STARTED')
    expect(reopened).toMatchObject({ stepName: 'research', metadata: { stepId: outer.metadata!.stepId, stepType: 'nested-workflow' } })
    expect(reopenedApproval).toMatchObject({ stepName: 'Notes ok?', metadata: { stepId: approval.metadata!.stepId, stepType: 'approval' } })
    expect(second.events[4]!.event.metadata).toMatchObject({ stepId: approval.metadata!.stepId, result: { approved: true } })
    const researchDone = eventsOfType(second.events, 'STEP_FINISHED').find((event) => event.metadata?.stepId === outer.metadata!.stepId)
    expect(researchDone!.metadata!.result).toEqual({ notes: 'draft:owls' })
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { draft: 'draft:draft:owls' } })
  })

  it('hands a nested fail(...) to the parent as a value it can inspect', async () => {
    const declining = defineWorkflow({
      name: 'declining',
      run: async function* () {
        return fail('nested gave up')
      },
    })
    const parent = defineWorkflow({
      name: 'parent-of-declining',
      agents: { declining },
      run: async function* ({ agents }) {
        const nested = yield* agents.declining()
        return nested.ok ? succeed({ via: 'nested' }) : succeed({ via: 'fallback', because: nested.reason })
      },
    })
    const result = await post(serve(parent).handler, { input: null })
    const step = eventsOfType(result.events, 'STEP_FINISHED')[0]!
    expect(step.metadata).toMatchObject({ result: { ok: false, reason: 'nested gave up' } })
    expect(step.metadata!.error).toBeUndefined()
    expect(result.events.at(-1)!.event).toMatchObject({
      type: 'RUN_FINISHED',
      result: { ok: true, via: 'fallback', because: 'nested gave up' },
    })
  })

  it('fails the parent step when the nested workflow throws', async () => {
    const broken = defineWorkflow({
      name: 'broken',
      run: async function* () {
        throw new Error('nested gave up')
      },
    })
    const parent = defineWorkflow({
      name: 'parent-of-broken',
      agents: { broken },
      run: async function* ({ agents }) {
        yield* agents.broken()
        return null
      },
    })
    const result = await post(serve(parent).handler, { input: null })
    expect(eventsOfType(result.events, 'STEP_FINISHED')[0]!.metadata!.error).toMatchObject({ message: 'nested gave up' })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed' })
  })
})
