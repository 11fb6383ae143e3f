/**
 * Our client reading what a plain AG-UI agent sends: frames written by
 * @ag-ui/encoder, no `metadata`, no `id:` lines. Steps have no ids, messages
 * name no step, state may start without a snapshot, and AG-UI 1.0 shapes our
 * server never emits (TEXT_MESSAGE_CHUNK, a `cancelled` outcome) do occur.
 * Each case checks the state a user of WorkflowClient would expect.
 */
import { describe, expect, it } from 'vitest'
import type { BaseEvent } from '@ag-ui/core'
import { EventSchema } from '@ag-ui/core/schemas'
import { EventEncoder } from '@ag-ui/encoder'
import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'

/** A client whose start is answered with `events`, encoded by @ag-ui/encoder. */
function clientReading(events: ReadonlyArray<Record<string, unknown>>) {
  const encoder = new EventEncoder()
  // The fixtures themselves must be valid AG-UI, or the cases prove nothing.
  for (const event of events) expect(EventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true)
  const body = events.map((event) => encoder.encodeSSE(event as unknown as BaseEvent)).join('')
  const errors: unknown[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('http://127.0.0.1:9/agui', {
      fetchClient: async () => new Response(body, { headers: { 'content-type': encoder.getContentType() } }),
    }),
    onError: (error) => void errors.push(error),
  })
  return { client, errors }
}

async function read(events: ReadonlyArray<Record<string, unknown>>) {
  const { client, errors } = clientReading(events)
  try {
    return { state: await client.start({}), errors }
  } finally {
    client.dispose()
  }
}

const started = { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1' }
const finished = { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-1' }

describe('our client reading a plain AG-UI agent', () => {
  it('steps without ids, text inside and outside steps, tool calls, snapshot and delta, result', async () => {
    const { state, errors } = await read([
      started,
      { type: 'STATE_SNAPSHOT', snapshot: { count: 1 } },
      { type: 'STEP_STARTED', stepName: 'plan' },
      { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'Planning' },
      { type: 'TOOL_CALL_START', toolCallId: 'c1', toolCallName: 'search', parentMessageId: 'm1' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{"q":"owls"}' },
      { type: 'TOOL_CALL_END', toolCallId: 'c1' },
      { type: 'TEXT_MESSAGE_END', messageId: 'm1' },
      { type: 'TOOL_CALL_RESULT', messageId: 't1', toolCallId: 'c1', content: '3 results', role: 'tool' },
      { type: 'STEP_FINISHED', stepName: 'plan' },
      // The same node again (a loop): a second step, not the first one reopened.
      { type: 'STEP_STARTED', stepName: 'plan' },
      { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/count', value: 2 }] },
      { type: 'STEP_FINISHED', stepName: 'plan' },
      { ...finished, result: { done: true } },
    ])
    expect(errors).toEqual([])
    expect(state).toMatchObject({ status: 'finished', output: { done: true }, state: { count: 2 }, currentStep: null })
    expect(state.steps.map((step) => [step.stepName, step.status, step.text])).toEqual([
      ['plan', 'finished', 'Planning'],
      ['plan', 'finished', ''],
    ])
    expect(new Set(state.steps.map((step) => step.stepId)).size).toBe(2)
  })

  it('a STATE_DELTA before any snapshot applies to {}, as AG-UI agents assume', async () => {
    const { state, errors } = await read([
      started,
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/todos', value: ['write'] }] },
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/todos/-', value: 'ship' }] },
      finished,
    ])
    expect(errors).toEqual([])
    expect(state).toMatchObject({ status: 'finished', state: { todos: ['write', 'ship'] } })
  })

  it('RUN_ERROR inside a step fails the run and the step, with the agent code', async () => {
    const { state } = await read([started, { type: 'STEP_STARTED', stepName: 'plan' }, { type: 'RUN_ERROR', message: 'model overloaded', code: 'AGENT_ERROR' }])
    expect(state).toMatchObject({ status: 'error', error: { code: 'AGENT_ERROR', message: 'model overloaded' } })
    expect(state.steps.map((step) => step.status)).toEqual(['failed'])
  })

  it('TEXT_MESSAGE_CHUNK text reaches the step and currentText, as START/CONTENT text does', async () => {
    const { state, errors } = await read([
      started,
      { type: 'STEP_STARTED', stepName: 'answer' },
      { type: 'TEXT_MESSAGE_CHUNK', messageId: 'm1', role: 'assistant', delta: 'Hel' },
      { type: 'TEXT_MESSAGE_CHUNK', messageId: 'm1', delta: 'lo' },
      { type: 'STEP_FINISHED', stepName: 'answer' },
      finished,
    ])
    expect(errors).toEqual([])
    expect(state.steps.map((step) => [step.stepName, step.text, step.messageIds])).toEqual([['answer', 'Hello', ['m1']]])
    expect(state.currentText).toBe('Hello')
  })

  it("a RUN_FINISHED with a 'cancelled' outcome ends the run as aborted, not finished", async () => {
    const { state } = await read([started, { type: 'STEP_STARTED', stepName: 'plan' }, { ...finished, outcome: { type: 'cancelled' } }])
    expect(state).toMatchObject({ status: 'aborted', output: undefined, error: { code: 'aborted' } })
    expect(state.steps.map((step) => step.status)).toEqual(['failed'])
  })

})
