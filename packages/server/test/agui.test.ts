/**
 * AG-UI 1.0 conformance: every event validates against @ag-ui/core's
 * EventSchema, and whole logs pass @ag-ui/client's enforceEvents +
 * verifyEvents without a single warning. HttpAgent drives a run end to end.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { EventSchema } from '@ag-ui/core/schemas'
import { HttpAgent, enforceEvents, verifyEvents } from '@ag-ui/client'
import type { BaseEvent } from '@ag-ui/core'
import { from, lastValueFrom, toArray } from 'rxjs'
import { z } from 'zod'
import type { IndexedEvent } from '@stepstream/protocol'
import {
  approve,
  createWorkflowHandler,
  defineAgent,
  defineWorkflow,
  fail,
  inMemoryRunStore,
  mockAgent,
  sleep,
  waitForSignal,
} from '@stepstream/server'
import { approvalIdOf, gate, listen, post, postRequest, readLog, readSse, runIdOf, waitForStatus } from './helpers.js'

const researcher = defineAgent({
  name: 'researcher',
  run: () => ({
    stream: (async function* () {
      yield 'Looking up sources. '
      yield { type: 'TOOL_CALL_START' as const, toolCallId: 'call-1', toolCallName: 'search' }
      yield { type: 'TOOL_CALL_ARGS' as const, toolCallId: 'call-1', delta: '{"q":"owls"}' }
      yield { type: 'TOOL_CALL_END' as const, toolCallId: 'call-1' }
      yield { type: 'TOOL_CALL_RESULT' as const, messageId: 'tool-msg-1', toolCallId: 'call-1', content: '3 results' }
      yield { type: 'CUSTOM' as const, name: 'sources', value: ['a', 'b'] }
      yield 'Done.'
    })(),
    output: Promise.resolve({ sources: 3 }),
  }),
})
const writer = mockAgent({ name: 'writer', input: z.object({ topic: z.string() }), text: ({ topic }) => `About ${topic}`, result: ({ topic }) => topic })
const flaky = mockAgent({ name: 'flaky', text: 'half', result: () => 0, fail: 'flaked' })

const checked = defineWorkflow({
  name: 'checked',
  agents: { writer },
  run: async function* ({ agents }) {
    const text = yield* agents.writer({ topic: 'nested' })
    yield* approve({ title: 'Nested ok?', description: 'inside a nested workflow' })
    return text
  },
})

const everything = defineWorkflow({
  name: 'everything',
  initialize: () => ({ phase: 'start', items: [] as number[], nested: { deep: true } as Record<string, unknown> }),
  agents: { researcher, writer, checked, flaky },
  run: async function* ({ agents, state, emit }) {
    emit('hello', { at: 'start' })
    state.phase = 'research'
    yield* agents.researcher()
    state.items.push(1, 2)
    delete state.nested.deep
    yield* agents.checked()
    try {
      yield* agents.flaky()
    } catch {
      state.phase = 'recovered'
    }
    const decision = yield* approve({ title: 'Publish?' })
    const paid = yield* waitForSignal('payment', { meta: { amount: 5 } })
    state.items = []
    return { approved: decision.approved, paid }
  },
})

function validateEvents(log: IndexedEvent[]): void {
  for (const { index, event } of log) {
    const parsed = EventSchema.safeParse(event)
    expect(parsed.success, `event ${index} (${event.type}): ${parsed.success ? '' : parsed.error.message}`).toBe(true)
  }
}

async function verifyWithAgUi(log: IndexedEvent[]): Promise<BaseEvent[]> {
  return lastValueFrom(from(log.map(({ event }) => event as unknown as BaseEvent)).pipe(enforceEvents(), verifyEvents(), toArray()))
}

describe('AG-UI conformance of recorded runs', () => {
  let warn: ReturnType<typeof vi.spyOn>
  beforeAll(() => {
    warn = vi.spyOn(console, 'warn')
  })
  afterEach(() => {
    expect(warn).not.toHaveBeenCalled()
  })
  afterAll(() => {
    warn.mockRestore()
  })

  it('a run with text, tools, state, nested pause, a caught failure, an approval and a signal', async () => {
    const store = inMemoryRunStore()
    const handler = createWorkflowHandler({ workflow: everything, runStore: store })
    const first = await post(handler, { input: null })
    const runId = runIdOf(first)
    const second = await post(handler, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
    const third = await post(handler, { runId, approval: { approvalId: approvalIdOf(second), approved: false, feedback: 'meh' } })
    await post(handler, { runId, signal: { signalId: 'pay-1', name: 'payment', payload: { ok: true } } })
    void third

    const log = await readLog(store, runId)
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { approved: false, paid: { ok: true } } })
    const seenTypes = new Set(log.map(({ event }) => event.type))
    for (const type of ['TEXT_MESSAGE_START', 'TOOL_CALL_RESULT', 'STATE_DELTA', 'CUSTOM', 'STEP_FINISHED', 'RUN_FINISHED']) {
      expect(seenTypes).toContain(type)
    }
    validateEvents(log)
    const verified = await verifyWithAgUi(log)
    expect(verified).toHaveLength(log.length)
  })

  it('failed and aborted runs', async () => {
    const store = inMemoryRunStore()
    const failing = defineWorkflow({
      name: 'failing',
      agents: { flaky },
      run: async function* ({ agents }) {
        yield* agents.flaky()
        return fail('unreachable')
      },
    })
    const hold = gate()
    const held = defineAgent({
      name: 'held',
      run: async ({ signal }) => {
        await Promise.race([hold.opened, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))])
        return 1
      },
    })
    const abortable = defineWorkflow({
      name: 'abortable',
      agents: { held },
      run: async function* ({ agents }) {
        return yield* agents.held()
      },
    })
    const handler = createWorkflowHandler({ workflows: { failing, abortable, everything }, runStore: store })
    const failed = await post(handler, { workflow: 'failing', input: null })
    const running = await handler(postRequest({ workflow: 'abortable', input: null }))
    const runningId = running.headers.get('x-workflow-run-id')!
    await handler(postRequest({ runId: runningId, abort: true }))
    await readSse(running)
    const paused = await post(handler, { workflow: 'everything', input: null })
    await handler(postRequest({ runId: runIdOf(paused), abort: true }))

    for (const runId of [runIdOf(failed), runningId, runIdOf(paused)]) {
      const log = await readLog(store, runId)
      expect(log.at(-1)!.event.type).toBe('RUN_ERROR')
      validateEvents(log)
      expect(await verifyWithAgUi(log)).toHaveLength(log.length)
    }
  })

  it('a sleep that wakes and a signal wait whose deadline passes', async () => {
    const store = inMemoryRunStore()
    const sleeper = defineWorkflow({
      name: 'sleeper',
      run: async function* () {
        yield* sleep(1)
        return 'awake'
      },
    })
    const late = defineWorkflow({
      name: 'late',
      run: async function* () {
        return yield* waitForSignal('reply', { deadline: Date.now() + 1 })
      },
    })
    const handler = createWorkflowHandler({ workflows: { sleeper, late }, runStore: store })
    const slept = runIdOf(await post(handler, { workflow: 'sleeper', input: null }))
    const missed = runIdOf(await post(handler, { workflow: 'late', input: null }))
    await waitForStatus(store, slept, 'finished')
    await waitForStatus(store, missed, 'failed')
    for (const runId of [slept, missed]) {
      const log = await readLog(store, runId)
      validateEvents(log)
      expect(await verifyWithAgUi(log)).toHaveLength(log.length)
    }
  })
})

describe('the conformance check itself', () => {
  it('rejects a log AG-UI would reject, so the checks above can fail', async () => {
    const unpaired: IndexedEvent[] = [
      { index: 0, event: { type: 'RUN_STARTED', threadId: 't', runId: 't' } },
      { index: 1, event: { type: 'STEP_STARTED', stepName: 'x' } },
      { index: 2, event: { type: 'RUN_FINISHED', threadId: 't', runId: 't' } },
    ]
    await expect(verifyWithAgUi(unpaired)).rejects.toThrow(/steps are still active/)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const extra = [{ index: 0, event: { type: 'RUN_STARTED', threadId: 't', runId: 't', stepId: 'top-level' } as never }]
      await verifyWithAgUi(extra)
      expect(warn).toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })
})

describe('@ag-ui/client HttpAgent against the handler', () => {
  let served: Awaited<ReturnType<typeof listen>>
  const store = inMemoryRunStore()
  const review = defineWorkflow({
    name: 'review',
    input: z.object({ topic: z.string() }),
    agents: { writer },
    run: async function* ({ input, agents }) {
      const draft = yield* agents.writer({ topic: input.topic })
      const decision = yield* approve({ title: 'Publish?' })
      return { draft, published: decision.approved, feedback: decision.feedback ?? null }
    },
  })

  beforeAll(async () => {
    served = await listen(createWorkflowHandler({ workflow: review, runStore: store }))
  })
  afterAll(async () => {
    await served.close()
  })

  it('starts a run, sees the interrupt, and resumes it with a resume entry', async () => {
    const warn = vi.spyOn(console, 'warn')
    try {
      const agent = new HttpAgent({ url: served.url, threadId: 'agui-thread-1' })
      const events: BaseEvent[] = []
      await agent.runAgent({ forwardedProps: { input: { topic: 'owls' } } }, { onEvent: ({ event }) => void events.push(event) })
      expect(events[0]!.type).toBe('RUN_STARTED')
      expect(agent.pendingInterrupts.map((interrupt) => interrupt.reason)).toEqual(['approval'])
      expect((await store.getRun('agui-thread-1'))!.status).toBe('paused')

      const [interrupt] = agent.pendingInterrupts
      const resumed = await agent.runAgent({
        resume: [{ interruptId: interrupt!.id, status: 'resolved', payload: { approved: true, feedback: 'ship it' } }],
      })
      expect(resumed.result).toEqual({ draft: 'owls', published: true, feedback: 'ship it' })
      expect((await store.getRun('agui-thread-1'))!.status).toBe('finished')
      expect(agent.state).toEqual({})
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })
})
