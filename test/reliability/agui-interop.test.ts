/**
 * AG-UI interop in both directions, over real HTTP:
 * - @ag-ui/client's HttpAgent is a working client of our server, through the
 *   interrupt → resume round trip of an approval, without a single warning;
 * - our client reads a stream written by @ag-ui/encoder (frames without
 *   `id:`) to the same state as our server's own stream.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { HttpAgent } from '@ag-ui/client'
import type { BaseEvent } from '@ag-ui/core'
import { EventEncoder } from '@ag-ui/encoder'
import { fetchWorkflowEvents, WorkflowClient, type WorkflowClientState } from '@stepstream/client'
import type { IndexedEvent } from '@stepstream/protocol'
import { approvalServer } from './support/approval-server.js'
import { approvalInput } from './support/approval-workflow.js'
import { visible } from './support/visible.js'

const { store, url } = approvalServer()

/** Every console channel, so any AG-UI complaint (prefixed `[ag-ui]` or not) is seen. */
let consoleSpies: MockInstance[] = []
beforeEach(() => {
  consoleSpies = (['warn', 'error', 'log', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method))
})
afterEach(() => {
  const [warn, error, ...others] = consoleSpies
  const printed = consoleSpies.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(' ')))
  for (const spy of consoleSpies) spy.mockRestore()
  expect(printed.filter((line) => line.includes('[ag-ui]'))).toEqual([])
  expect(warn!.mock.calls).toEqual([])
  expect(error!.mock.calls).toEqual([])
  void others
})

/** The reference: our own client against our own server, start then approve. */
async function ourClientRun(topic: string) {
  const client = new WorkflowClient({ connection: fetchWorkflowEvents(url()), input: approvalInput })
  const paused = await client.start({ topic })
  const finished = await client.approve(true)
  client.dispose()
  return { paused, finished, runId: finished.runId! }
}

function segments(log: readonly IndexedEvent[]): BaseEvent[][] {
  const result: BaseEvent[][] = []
  for (const { event } of log) {
    if (event.type === 'RUN_STARTED') result.push([])
    result.at(-1)!.push(event as unknown as BaseEvent)
  }
  return result
}

describe('@ag-ui/client HttpAgent as a client of our server', () => {
  it('runs the approval workflow: stream, interrupt, resume, result, state and messages', async () => {
    const reference = await ourClientRun('Rivers')
    const agent = new HttpAgent({ url: url(), threadId: 'agui-interop-1' })
    const firstEvents: BaseEvent[] = []
    await agent.runAgent({ forwardedProps: { input: { topic: 'Rivers' } } }, { onEvent: ({ event }) => void firstEvents.push(event) })

    expect((await store.getRun('agui-interop-1'))?.status).toBe('paused')
    expect(agent.pendingInterrupts).toEqual([expect.objectContaining({ reason: 'approval', message: 'Publish this draft?' })])
    expect(agent.state).toEqual(reference.paused.state)
    // The writer's streamed text became an assistant message.
    expect(agent.messages.map((message) => [message.role, message.content])).toEqual([['assistant', reference.paused.steps[0]!.text]])

    const [interrupt] = agent.pendingInterrupts
    const secondEvents: BaseEvent[] = []
    const resumed = await agent.runAgent(
      { resume: [{ interruptId: interrupt!.id, status: 'resolved', payload: { approved: true } }] },
      { onEvent: ({ event }) => void secondEvents.push(event) },
    )
    expect((await store.getRun('agui-interop-1'))?.status).toBe('finished')
    expect(agent.pendingInterrupts).toEqual([])
    expect(resumed.result).toEqual(reference.finished.output)
    expect(agent.state).toEqual(reference.finished.state)
    expect(agent.messages.map((message) => message.content)).toEqual(reference.finished.steps.filter((step) => step.text).map((step) => step.text))

    // HttpAgent saw exactly the events the server logged, segment by segment.
    const logged = segments(await store.read('agui-interop-1', 0)).map((segment) => segment.map((event) => event.type))
    expect([firstEvents.map((event) => event.type), secondEvents.map((event) => event.type)]).toEqual(logged)
  })
})

describe('our client reading @ag-ui/encoder frames', () => {
  /** A connection that answers each action with one segment of the log, encoded by @ag-ui/encoder. */
  function encodedConnection(log: readonly IndexedEvent[]) {
    const encoder = new EventEncoder()
    const bodies = segments(log).map((segment) => segment.map((event) => encoder.encodeSSE(event)).join(''))
    const requests: string[] = []
    return {
      requests,
      bodies,
      connection: fetchWorkflowEvents('http://127.0.0.1:9/agui', {
        fetchClient: async (_url, init) => {
          requests.push(String(init.method))
          const body = bodies[requests.length - 1] ?? ''
          return new Response(body, { headers: { 'content-type': encoder.getContentType() } })
        },
      }),
    }
  }

  it('reaches the state our server stream gives, at the pause and at the end', async () => {
    const reference = await ourClientRun('Lakes')
    const { connection, bodies, requests } = encodedConnection(await store.read(reference.runId, 0))
    // Plain AG-UI frames: no `id:` lines, the client counts events instead.
    expect(bodies.join('')).not.toMatch(/^id:/m)
    expect(bodies[0]).toMatch(/^data: \{/)

    const client = new WorkflowClient({ connection, input: approvalInput })
    const paused: WorkflowClientState = await client.start({ topic: 'Lakes' }, { runId: reference.runId })
    expect(visible(paused)).toEqual(visible(reference.paused))
    const finished = await client.approve(true)
    expect(visible(finished)).toEqual(visible(reference.finished))
    expect(requests).toEqual(['POST', 'POST'])
    client.dispose()
  })
})
