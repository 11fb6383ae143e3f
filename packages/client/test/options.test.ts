import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { fetchWorkflowEvents, WorkflowClient, type WireEvent, type WorkflowClientState } from '@stepstream/client'
import { custom, runStarted, runSucceeded } from '@stepstream/protocol'
import { articleApproveSegment, articleStartSegment, scriptedServer, sseBody, streamResponse } from './helpers.js'

const input = z.object({ topic: z.string().min(1) })
const output = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), article: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
])
const state = z.object({ phase: z.string(), drafts: z.array(z.string()) })

function typedClient(server: ReturnType<typeof scriptedServer>, extra: { validate?: boolean; onError?: (code: string) => void } = {}) {
  return new WorkflowClient({
    connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
    input,
    output,
    state,
    validate: extra.validate,
    onError: (error) => extra.onError?.(error.code),
  })
}

describe('typing from Standard Schema', () => {
  it('types start() from the input schema and output/state from theirs', () => {
    const client = typedClient(scriptedServer({ segments: [] }))
    expectTypeOf(client.start).parameter(0).toEqualTypeOf<{ topic: string }>()
    // @ts-expect-error the input schema makes the input required
    void (() => client.start())
    type Output = NonNullable<typeof client.state.output>
    expectTypeOf<Output>().toEqualTypeOf<{ ok: true; article: string } | { ok: false; reason: string }>()
    expectTypeOf(client.state.state).toEqualTypeOf<{ phase: string; drafts: string[] } | undefined>()
    const narrowed = (value: Output) => (value.ok ? value.article : value.reason)
    expectTypeOf(narrowed).returns.toBeString()
  })

  it('falls back to unknown without schemas', () => {
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/x') })
    expectTypeOf(client.start).parameter(0).toBeUnknown()
    // No input schema, no input needed: start() alone type-checks.
    expectTypeOf(client.start).toBeCallableWith()
    expectTypeOf(client.state).toEqualTypeOf<WorkflowClientState<unknown, unknown>>()
  })
})

describe('validate: true', () => {
  it('refuses an invalid input without sending a request', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()] })
    const errors: string[] = []
    const client = typedClient(server, { validate: true, onError: (code) => errors.push(code) })
    const result = await client.start({ topic: '' })
    expect(result).toMatchObject({ status: 'error', error: { code: 'invalid_input' } })
    expect(server.requests).toHaveLength(0)
    expect(errors).toEqual(['invalid_input'])
  })

  it('stop() while the input is being checked wins over the check failing', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()] })
    const errors: string[] = []
    const client = typedClient(server, { validate: true, onError: (code) => errors.push(code) })
    const started = client.start({ topic: '' })
    const stopped = await client.stop()
    await started
    expect(stopped.status).toBe('aborted')
    expect(client.state).toMatchObject({ status: 'aborted', error: { code: 'aborted' } })
    expect(errors).toEqual([])
    // No start went out, so there is no run on the server to abort either.
    expect(server.requests).toEqual([])
  })

  it('accepts an output that matches the schema', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    const client = typedClient(server, { validate: true })
    await client.start({ topic: 'x' }, { runId: 'run-1' })
    await client.approve(true)
    await Promise.resolve()
    expect(client.state).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' } })
  })

  it('reports invalid_output when the output does not match', async () => {
    const segment = [runStarted('run-1', { timestamp: 1 }), runSucceeded('run-1', { ok: true }, { timestamp: 1 })]
    const server = scriptedServer({ segments: [segment] })
    const errors: string[] = []
    const client = typedClient(server, { validate: true, onError: (code) => errors.push(code) })
    await client.start({ topic: 'x' }, { runId: 'run-1' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(client.state).toMatchObject({ status: 'error', error: { code: 'invalid_output' } })
    expect(errors).toEqual(['invalid_output'])
  })

  it('a schema that throws (a transform that throws) refuses the value: start() does not hang in running, a finish rejects nothing', async () => {
    const throwing = z.unknown().transform((): never => {
      throw new Error('cannot read it')
    })
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
      const errors: string[] = []
      const refusing = new WorkflowClient({ connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }), input: throwing, validate: true, onError: (error) => errors.push(error.code) })
      expect(await refusing.start({})).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'invalid_input', message: 'cannot read it' } })
      expect(server.requests).toHaveLength(0)
      const finishing = new WorkflowClient({ connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }), output: throwing, validate: true, onError: (error) => errors.push(error.code) })
      await finishing.start({}, { runId: 'run-1' })
      await finishing.approve(true)
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(finishing.state).toMatchObject({ status: 'error', error: { code: 'invalid_output' } })
      expect(errors).toEqual(['invalid_input', 'invalid_output'])
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})

describe('callbacks', () => {
  it('passes every event to onEvent with its index and CUSTOM events to onCustomEvent', async () => {
    const events = [...articleStartSegment()]
    events.splice(3, 0, custom('progress', { percent: 40 }, { timestamp: 1 }))
    const server = scriptedServer({ segments: [events] })
    const seen: number[] = []
    const customs: Array<[string, unknown]> = []
    const client = new WorkflowClient({
      connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }),
      onEvent: (_event: WireEvent, index) => seen.push(index),
      onCustomEvent: (name, value) => customs.push([name, value]),
    })
    await client.start({})
    expect(seen).toEqual(events.map((_, index) => index))
    expect(customs).toEqual([
      ['progress', { percent: 40 }],
      ['approval-requested', { approvalId: 'a1', kind: 'workflow', title: 'Publish?', description: 'Check the draft' }],
    ])
  })

  it('keeps streaming when a callback throws', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()], respond: () => streamResponse([sseBody(articleStartSegment())]) })
    const original = console.error
    console.error = () => {}
    try {
      const client = new WorkflowClient({
        connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }),
        onEvent: () => {
          throw new Error('user bug')
        },
      })
      const result = await client.start({})
      expect(result.status).toBe('paused')
    } finally {
      console.error = original
    }
  })

  it('a subscriber that acts (disconnect() on a pause) does not leave onStateChange with a stale last state', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()] })
    const reported: WorkflowClientState[] = []
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }), onStateChange: (state) => reported.push(state) })
    client.subscribe((state) => {
      if (state.status === 'paused' && state.connection === 'open') client.disconnect()
    })
    await client.start({})
    expect(client.state).toMatchObject({ status: 'paused', connection: 'closed' })
    expect(reported.at(-1)).toBe(client.state)
    // Never told 'open' after 'closed': each report is the store's state at the time.
    expect(reported.map((state) => state.connection).slice(-2)).toEqual(['open', 'closed'])
  })

  it('onFinish gets the output the run finished with even when onStateChange resets the client on the finish', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    const finishes: Array<[unknown, WorkflowClientState]> = []
    const client: WorkflowClient = new WorkflowClient({
      connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }),
      onStateChange: (state) => state.status === 'finished' && client.reset(),
      onFinish: (output, state) => finishes.push([output, state]),
    })
    await client.start({}, { runId: 'run-1' })
    await client.approve(true)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(client.state.status).toBe('idle')
    expect(finishes).toHaveLength(1)
    expect(finishes[0]![0]).toEqual({ ok: true, article: 'Hello brave world' })
    expect(finishes[0]![1]).toMatchObject({ status: 'finished', runId: 'run-1', output: { ok: true, article: 'Hello brave world' } })
  })

  it('a subscriber that throws breaks neither the action nor the stream', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()] })
    const original = console.error
    console.error = () => {}
    try {
      const client = new WorkflowClient({ connection: fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }) })
      const seen: string[] = []
      client.subscribe(() => {
        throw new Error('render bug')
      })
      client.subscribe((state) => seen.push(state.status))
      const result = await client.start({})
      expect(result).toMatchObject({ status: 'paused', connection: 'closed', currentText: 'Hello brave world' })
      expect(server.requests).toHaveLength(1)
      expect(seen.at(-1)).toBe('paused')
    } finally {
      console.error = original
    }
  })

  it('setOptions swaps callbacks without recreating the client', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    const calls: string[] = []
    const connection = fetchWorkflowEvents('/x', { fetchClient: server.fetchClient })
    const client = new WorkflowClient({ connection, onFinish: () => calls.push('old') })
    await client.start({}, { runId: 'run-1' })
    client.setOptions({ connection, onFinish: () => calls.push('new') })
    await client.approve(true)
    await Promise.resolve()
    expect(calls).toEqual(['new'])
  })
})
