/**
 * @ag-ui/client's HttpAgent driving our server over real HTTP, beyond the
 * approval round trip of agui-interop.test.ts: a signal answered with a
 * payload, a cancelled approval, a failing step, refusals. Every event the
 * server logs must be valid AG-UI 1.0 (EventSchema) and HttpAgent must print
 * no `[ag-ui]` complaint.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { HttpAgent } from '@ag-ui/client'
import { EventSchema } from '@ag-ui/core/schemas'
import { z } from 'zod'
import { approve, createWorkflowHandler, defineWorkflow, inMemoryRunStore, mockAgent, waitForSignal } from '@stepstream/server'
import { listen, type RunningServer } from '../fixtures/http-server.js'

const writer = mockAgent({ name: 'writer', text: 'hello world', result: () => 'drafted' })
const flaky = mockAgent({ name: 'flaky', text: 'half', result: () => 0, fail: 'flaked' })

const workflows = {
  signalled: defineWorkflow({
    name: 'signalled',
    // Keys that need JSON Pointer escaping in every delta.
    initialize: () => ({ paid: null as unknown, 'a/b': 1, 'c~d': 2 }),
    agents: { writer },
    run: async function* ({ state, agents }) {
      yield* agents.writer()
      const paid = yield* waitForSignal('payment', { meta: { amount: 5 }, deadline: Date.now() + 60_000 })
      state.paid = paid
      state['a/b'] = 3
      state['c~d'] = 4
      return { paid }
    },
  }),
  twoApprovals: defineWorkflow({
    name: 'twoApprovals',
    input: z.object({ topic: z.string() }),
    run: async function* ({ input }) {
      const first = yield* approve({ title: 'One?' })
      const second = yield* approve({ title: 'Two?', description: input.topic })
      return { first: first.approved, second: second.approved, feedback: second.feedback ?? 'none' }
    },
  }),
  failing: defineWorkflow({
    name: 'failing',
    agents: { flaky },
    run: async function* ({ agents }) {
      return yield* agents.flaky()
    },
  }),
  nothing: defineWorkflow({
    name: 'nothing',
    run: async function* () {
      return null
    },
  }),
}

const store = inMemoryRunStore()
let server: RunningServer
beforeAll(async () => {
  server = await listen(createWorkflowHandler({ workflows, runStore: store }))
})
afterAll(async () => {
  await server?.close()
})

let warn: MockInstance
beforeEach(() => {
  warn = vi.spyOn(console, 'warn')
})
afterEach(() => {
  const printed = warn.mock.calls.map((call) => call.map(String).join(' '))
  warn.mockRestore()
  expect(printed).toEqual([])
})

/** Every logged event of the run is valid AG-UI 1.0, exactly as it went on the wire. */
async function expectValidLog(runId: string): Promise<void> {
  for (const { index, event } of await store.read(runId, 0)) {
    const parsed = EventSchema.safeParse(event)
    expect(parsed.success, `event ${index} ${JSON.stringify(event)}: ${parsed.success ? '' : parsed.error.message}`).toBe(true)
  }
}

describe('HttpAgent against our server', () => {
  it('answers a signal wait with a resume payload; state deltas with escaped keys apply', async () => {
    const agent = new HttpAgent({ url: server.url, threadId: 'agui-signal-1' })
    await agent.runAgent({ forwardedProps: { workflow: 'signalled', input: null } })
    expect(agent.pendingInterrupts).toEqual([
      expect.objectContaining({ id: 'signal:payment', reason: 'signal', metadata: expect.objectContaining({ signalName: 'payment', meta: { amount: 5 } }) }),
    ])
    expect(agent.messages.map((message) => message.content)).toEqual(['hello world'])

    const resumed = await agent.runAgent({ resume: [{ interruptId: 'signal:payment', status: 'resolved', payload: { ok: true } }] })
    expect(resumed.result).toEqual({ paid: { ok: true } })
    expect(agent.pendingInterrupts).toEqual([])
    expect(agent.state).toEqual({ paid: { ok: true }, 'a/b': 3, 'c~d': 4 })
    await expectValidLog('agui-signal-1')
  })

  it('a cancelled interrupt rejects the approval; a resolved one carries feedback', async () => {
    const agent = new HttpAgent({ url: server.url, threadId: 'agui-two-1' })
    await agent.runAgent({ forwardedProps: { workflow: 'twoApprovals', input: { topic: 'owls' } } })
    await agent.runAgent({ resume: [{ interruptId: agent.pendingInterrupts[0]!.id, status: 'cancelled' }] })
    expect(agent.pendingInterrupts).toEqual([expect.objectContaining({ reason: 'approval', message: 'Two?', metadata: { description: 'owls' } })])
    const done = await agent.runAgent({
      resume: [{ interruptId: agent.pendingInterrupts[0]!.id, status: 'resolved', payload: { approved: true, feedback: 'fine' } }],
    })
    expect(done.result).toEqual({ first: false, second: true, feedback: 'fine' })
    await expectValidLog('agui-two-1')
  })

  it('a failed step reaches HttpAgent as RUN_ERROR with our code', async () => {
    const agent = new HttpAgent({ url: server.url, threadId: 'agui-fail-1' })
    const errors: unknown[] = []
    await agent.runAgent({ forwardedProps: { workflow: 'failing', input: null } }, { onRunErrorEvent: ({ event }) => void errors.push(event) })
    expect(errors).toEqual([expect.objectContaining({ code: 'step_failed', message: 'flaked' })])
    await expectValidLog('agui-fail-1')
  })

  it('a refused request rejects runAgent with the HTTP status and our error body, and creates no run', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {}) // HttpAgent logs every failed run
    try {
      const agent = new HttpAgent({ url: server.url, threadId: 'agui-bad-1' })
      const refused = await agent.runAgent({ forwardedProps: { workflow: 'twoApprovals', input: { topic: 3 } } }).catch((reason: unknown) => reason)
      expect(refused).toMatchObject({ status: 400, payload: { error: { code: 'invalid_input' } } })
      expect(await store.getRun('agui-bad-1')).toBeFalsy()
    } finally {
      error.mockRestore()
    }
  })

  // AG-UI 1.0's schema refuses `RUN_FINISHED.result: null` (HttpAgent rewrites
  // it with a "[ag-ui][compat] … deprecated" warning): a null output travels in metadata.
  it('a workflow that returns null ends with a valid RUN_FINISHED', async () => {
    await new HttpAgent({ url: server.url, threadId: 'agui-null-1' }).runAgent({ forwardedProps: { workflow: 'nothing', input: null } })
    await expectValidLog('agui-null-1')
  })
})
