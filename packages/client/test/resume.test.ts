import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient, WorkflowUsageError, type ConnectionRequest, type WorkflowClientOptions } from '@stepstream/client'
import { custom, runError, runInterrupted, runPaused, runStarted, runSucceeded, signalInterrupt, stateSnapshot, stateDelta, stepFinished, stepStarted, type WorkflowEvent } from '@stepstream/protocol'
import {
  abortOnlyConnection,
  articleApproveSegment,
  articleStartSegment,
  fastReconnect,
  jsonResponse,
  neverAnswered,
  scriptedServer,
  sseBody,
  streamResponse,
  type RecordedRequest,
} from './helpers.js'

type Server = ReturnType<typeof scriptedServer>

/**
 * A fetchClient whose first approve request (`every`: each one) gets no
 * answer until it is aborted: lost on the way there, or, when `arrived`, its
 * answer lost on the way back after the server applied it.
 */
function firstApprovalUnanswered(server: Server, options: { arrived: boolean; every?: boolean }) {
  const hung: RequestInit[] = []
  const fetchClient = async (url: string, init: RequestInit): Promise<Response> => {
    const approval = String(init.body).includes('"approval"')
    if (!approval || (hung.length > 0 && !options.every)) return server.fetchClient(url, init)
    hung.push(init)
    if (options.arrived) await server.fetchClient(url, init)
    return new Promise((_, reject) => {
      const signal = init.signal!
      if (signal.aborted) reject(signal.reason)
      signal.addEventListener('abort', () => reject(signal.reason))
    })
  }
  return { fetchClient, hung }
}

/** The article run, where approve(false) is refused: another tab already answered the approval (409); approve(true) goes through. */
function answeredElsewhereServer(): Server {
  return scriptedServer({
    segments: [articleStartSegment(), articleApproveSegment()],
    respond: (request) =>
      request.action === 'approve' && (request.body.approval as { approved: boolean }).approved === false
        ? jsonResponse(409, { error: { code: 'approval_conflict', message: 'This approval was already answered' } })
        : undefined,
  })
}

function clientFor(server: Server, options: Partial<WorkflowClientOptions> = {}) {
  const errors: string[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
    reconnect: fastReconnect,
    onError: (error) => errors.push(error.code),
    ...options,
  })
  return { client, errors }
}

const uncut = { steps: [{ stepName: 'writer', status: 'finished', text: 'Hello brave world' }] }
const byteLength = (events: WorkflowEvent[]) => new TextEncoder().encode(sseBody(events)).length

afterEach(() => {
  vi.useRealTimers()
})

/**
 * A started run whose stream has shown its first `shown` events and stays
 * open (the rest is on the server), and a server that refuses `action` on it
 * with 409 run_not_paused.
 */
/**
 * Starts against a server whose first answer is `first` (the rest serve the
 * segment), with fake timers on: the retry must not go out before `notBefore`
 * ms and must have gone, and the run paused, by `by` ms.
 */
async function expectRetryBetween(notBefore: number, by: number, first: (segment: WorkflowEvent[]) => Response) {
  const segment = articleStartSegment()
  const server = scriptedServer({ segments: [segment], respond: (_, attempt) => (attempt === 0 ? first(segment) : undefined) })
  const { client } = clientFor(server)
  const done = client.start({})
  await vi.advanceTimersByTimeAsync(notBefore)
  expect(server.requests).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(by - notBefore)
  expect((await done).status).toBe('paused')
  expect(server.requests).toHaveLength(2)
}

/** A server whose every answer is one open stream, fed by the test: `push(events, from)` sends frames with ids from `from`. */
function pushedStream() {
  let push: (events: WorkflowEvent[], from: number) => void = () => {}
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (events, from) => controller.enqueue(new TextEncoder().encode(sseBody(events, from)))
    },
  })
  const server = scriptedServer({ segments: [], respond: () => new Response(body) })
  return { server, push: (events: WorkflowEvent[], from: number) => push(events, from) }
}

async function startedThenRefused(segment: WorkflowEvent[], shown: number, action: RecordedRequest['action'], message: string) {
  const server = scriptedServer({
    segments: [segment],
    respond: (request) => {
      if (request.action === 'start') return streamResponse([sseBody(segment.slice(0, shown))], {}, { hang: true })
      if (request.action === action) return jsonResponse(409, { error: { code: 'run_not_paused', message } })
      return undefined
    },
  })
  const { client, errors } = clientFor(server)
  void client.start({}, { runId: 'run-1' })
  await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(shown - 1))
  return { server, client, errors }
}

describe('resume after a drop', () => {
  it('resumes a truncated stream from lastEventIndex + 1 and ends in the uncut state', async () => {
    const segment = articleStartSegment()
    const cutAt = byteLength(segment.slice(0, 5)) + 10 // inside the 6th frame
    const server = scriptedServer({ segments: [segment], cut: (_, attempt) => (attempt === 0 ? cutAt : undefined) })
    const { client, errors } = clientFor(server)
    const state = await client.start({}, { runId: 'run-1' })
    expect(state).toMatchObject({ status: 'paused', currentText: 'Hello brave world', lastEventIndex: segment.length - 1, ...uncut })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'resume'])
    expect(server.requests[1]!.body).toMatchObject({ runId: 'run-1', startIndex: 5 })
    expect(errors).toEqual([])
  })

  it('drops events of an overlapping replay so no token is applied twice', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      cut: (_, attempt) => (attempt === 0 ? byteLength(segment.slice(0, 6)) : undefined),
      // A server that replays too much: every resume starts from 0.
      respond: (request) => (request.action === 'resume' ? streamResponse([sseBody(segment)]) : undefined),
    })
    const { client } = clientFor(server)
    const state = await client.start({}, { runId: 'run-1' })
    expect(state.currentText).toBe('Hello brave world')
    expect(state.steps).toHaveLength(1)
    expect(state.state).toEqual({ phase: 'review', drafts: ['Hello brave world'] })
  })

  it('retries a 5xx answer and then succeeds, re-sending start with the same runId', async () => {
    const server = scriptedServer({
      segments: [articleStartSegment()],
      respond: (_, attempt) => (attempt === 0 ? jsonResponse(503, { error: { code: 'internal', message: 'busy' } }) : undefined),
    })
    const { client } = clientFor(server)
    const state = await client.start({ topic: 'x' })
    expect(state.status).toBe('paused')
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'start'])
    expect(server.requests[0]!.body.runId).toBe(server.requests[1]!.body.runId)
  })

  it('treats a 4xx on start as final: one request, typed error in state', async () => {
    const server = scriptedServer({
      segments: [],
      respond: () => jsonResponse(400, { error: { code: 'invalid_input', message: 'topic: Required' } }),
    })
    const { client, errors } = clientFor(server)
    const state = await client.start({})
    expect(server.requests).toHaveLength(1)
    expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'invalid_input', message: 'topic: Required' } })
    expect(errors).toEqual(['invalid_input'])
  })

  it('a start the server refused made no run: stop() then aborts nothing (on a run_id_conflict, the run that holds the id goes on)', async () => {
    const server = scriptedServer({
      segments: [articleStartSegment('taken')],
      respond: (request) => (request.action === 'start' ? jsonResponse(409, { error: { code: 'run_id_conflict', message: 'A run with this id exists with another input' } }) : undefined),
    })
    const { client, errors } = clientFor(server)
    expect(await client.start({ topic: 'other' }, { runId: 'taken' })).toMatchObject({ status: 'error', error: { code: 'run_id_conflict' } })
    expect(await client.stop()).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'run_id_conflict' } })
    expect(server.requests.map((r) => r.action)).toEqual(['start'])
    expect(errors).toEqual(['run_id_conflict'])
  })

  it('gives up with connection_lost when the budget is spent, never stuck in running', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      cut: (_, attempt) => (attempt === 0 ? byteLength(segment.slice(0, 3)) : undefined),
      respond: (request) => (request.action === 'resume' ? jsonResponse(502, {}) : undefined),
    })
    const { client, errors } = clientFor(server, { reconnect: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } })
    const state = await client.start({})
    expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'connection_lost' } })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'resume', 'resume', 'resume'])
    expect(errors).toEqual(['connection_lost'])
  })

  it('resume() after connection_lost follows the run as running again, never error without an error', async () => {
    const segment = articleStartSegment()
    let serverDown = true
    const server = scriptedServer({
      segments: [segment],
      cut: (_, attempt) => (attempt === 0 ? byteLength(segment.slice(0, 4)) : undefined),
      respond: (request) => (request.action === 'resume' && serverDown ? jsonResponse(502, {}) : undefined),
    })
    const { client } = clientFor(server, { reconnect: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })
    expect((await client.start({}, { runId: 'run-1' })).error?.code).toBe('connection_lost')
    serverDown = false
    const published: Array<[string, string | undefined]> = []
    client.subscribe((state) => published.push([state.status, state.error?.code]))
    const resumed = await client.resume()
    expect(resumed).toMatchObject({ status: 'paused', error: null, currentText: 'Hello brave world' })
    expect(published.filter(([status, code]) => status === 'error' && code === undefined)).toEqual([])
    expect(published[0]).toEqual(['running', undefined])
  })

  it('resume() of a run that failed keeps its error', async () => {
    const events = [runStarted('run-1'), stateSnapshot({}), runError('agent crashed', 'step_failed')]
    const server = scriptedServer({ segments: [events] })
    const { client } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    const resumed = await client.resume()
    expect(resumed).toMatchObject({ status: 'error', error: { code: 'step_failed' }, connection: 'closed' })
  })

  it('a refused resume() of a run that already ended keeps how it ended; only error and onError tell of the refusal', async () => {
    const server = scriptedServer({
      segments: [[...articleStartSegment()], articleApproveSegment()],
      // The run expired on the server (its TTL) by the time the app looks again.
      respond: (request) => (request.action === 'resume' ? jsonResponse(404, { error: { code: 'run_not_found', message: 'No run run-1' } }) : undefined),
    })
    const { client, errors } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    const finished = await client.approve(true)
    expect(finished.status).toBe('finished')
    const resumed = await client.resume()
    expect(resumed).toMatchObject({ status: 'finished', output: finished.output, connection: 'closed', error: { code: 'run_not_found' } })
    expect(resumed.steps).toEqual(finished.steps)
    expect(errors).toEqual(['run_not_found'])
  })

  it('a refused resume() of a run that failed keeps the run\'s own error in state and reports the refusal', async () => {
    const events = [runStarted('run-1'), stateSnapshot({}), runError('agent crashed', 'step_failed')]
    const server = scriptedServer({
      segments: [events],
      respond: (request) => (request.action === 'resume' ? jsonResponse(404, { error: { code: 'run_not_found', message: 'No run run-1' } }) : undefined),
    })
    const { client, errors } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    const resumed = await client.resume()
    expect(resumed).toMatchObject({ status: 'error', error: { code: 'step_failed' }, connection: 'closed' })
    expect(errors).toEqual(['step_failed', 'run_not_found'])
  })

  it('resets the budget whenever an attempt delivers events', async () => {
    const segment = articleStartSegment()
    // Every connection dies after one more event than the cursor.
    const server = scriptedServer({
      segments: [segment],
      cut: (request) => {
        const from = request.action === 'resume' ? Number(request.body.startIndex) : 0
        return from + 1 < segment.length ? new TextEncoder().encode(sseBody(segment.slice(from, from + 1), from)).length : undefined
      },
    })
    const { client } = clientFor(server, { reconnect: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })
    const state = await client.start({})
    expect(state.status).toBe('paused')
    expect(state.currentText).toBe('Hello brave world')
    expect(server.requests.length).toBe(segment.length)
  })

  it('a second start() whose stream ends before any event is a drop, not complete (never stuck in running)', async () => {
    const server = scriptedServer({
      segments: [articleStartSegment('run-1')],
      // The second run's answers all end before their first event.
      respond: (request) => (request.body.runId === 'run-2' && request.action !== 'abort' ? streamResponse([': ping\n\n']) : undefined),
    })
    const { client, errors } = clientFor(server, { reconnect: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })
    expect((await client.start({}, { runId: 'run-1' })).status).toBe('paused')
    const state = await client.start({}, { runId: 'run-2' })
    expect(state).toMatchObject({ runId: 'run-2', status: 'error', connection: 'closed', error: { code: 'connection_lost' } })
    expect(errors).toEqual(['connection_lost'])
  })

  it('a reconnect field given as undefined (an unset setting) takes its default: the budget still runs out, never retrying forever', async () => {
    vi.useFakeTimers()
    const server = scriptedServer({ segments: [articleStartSegment()], respond: () => jsonResponse(503, { error: { code: 'internal', message: 'down' } }) })
    const { client, errors } = clientFor(server, { reconnect: { maxAttempts: undefined, baseDelayMs: undefined, maxDelayMs: 5 } })
    const started = client.start({})
    await vi.advanceTimersByTimeAsync(10_000)
    client.dispose()
    expect(client.state.error?.code).toBe('connection_lost')
    expect(await started).toMatchObject({ status: 'error', error: { code: 'connection_lost' } })
    // The first try and the default five retries.
    expect(server.requests).toHaveLength(6)
    expect(errors).toEqual(['connection_lost'])
  })

  it('does not retry at all with reconnect: false', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({ segments: [segment], cut: () => byteLength(segment.slice(0, 2)) })
    const { client } = clientFor(server, { reconnect: false })
    const state = await client.start({})
    expect(server.requests).toHaveLength(1)
    expect(state.error?.code).toBe('connection_lost')
  })

  it('drops an idle connection after idleTimeoutMs and resumes', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      respond: (_, attempt) => (attempt === 0 ? streamResponse([sseBody(segment.slice(0, 4))], {}, { hang: true }) : undefined),
    })
    const { client } = clientFor(server, { idleTimeoutMs: 20 })
    const state = await client.start({})
    expect(state.status).toBe('paused')
    expect(server.requests[1]).toMatchObject({ action: 'resume', body: { startIndex: 4 } })
  })

  it.each([
    ['Infinity (longer than any timer)', Number.POSITIVE_INFINITY],
    ['NaN (a setting read as a number that was none), which takes the default', Number.NaN],
  ])('idleTimeoutMs: %s does not drop a quiet connection at once, and stop() still sends its abort', async (_name, idleTimeoutMs) => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      respond: (request) => {
        if (request.action !== 'start') return undefined
        // Four events, a quiet spell, the rest.
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode(sseBody(segment.slice(0, 4))))
            await new Promise((resolve) => setTimeout(resolve, 30))
            controller.enqueue(new TextEncoder().encode(sseBody(segment.slice(4), 4)))
            controller.close()
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      },
    })
    const { client, errors } = clientFor(server, { idleTimeoutMs })
    expect(await client.start({}, { runId: 'run-1' })).toMatchObject({ status: 'paused', currentText: 'Hello brave world' })
    expect(server.requests.map((r) => r.action)).toEqual(['start'])
    await client.stop()
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'abort'])
    expect(errors).toEqual([])
  })

  it.each([
    ['with retries', fastReconnect],
    ['with reconnect: false', false],
  ] as const)('a stream that fails right after its terminal event is complete, not a drop (%s)', async (_name, reconnect) => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      // The whole segment arrives, then the connection resets instead of closing cleanly.
      respond: (request) => (request.action === 'start' ? streamResponse([sseBody(segment)], {}, { error: true }) : undefined),
    })
    const { client, errors } = clientFor(server, { reconnect })
    const connections: string[] = []
    client.subscribe((state) => connections.push(state.connection))
    const state = await client.start({}, { runId: 'run-1' })
    expect(state).toMatchObject({ status: 'paused', connection: 'closed', error: null, lastEventIndex: segment.length - 1 })
    expect(server.requests.map((r) => r.action)).toEqual(['start'])
    expect(connections).not.toContain('reconnecting')
    expect(errors).toEqual([])
  })

  it('honours the server retry: interval before reconnecting', async () => {
    vi.useFakeTimers()
    await expectRetryBetween(1000, 21_000, (segment) => streamResponse(['retry: 10000\n\n', sseBody(segment.slice(0, 2))], {}, { error: true }))
  })

  it.each([
    ['seconds', '10'],
    ['an HTTP date', new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString()],
  ])('honours Retry-After (%s) on a 503 or 429 before trying again', async (_, retryAfter) => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
    for (const status of [503, 429]) {
      await expectRetryBetween(9_000, 11_000, () => new Response(JSON.stringify({ error: { code: 'busy', message: 'later' } }), { status, headers: { 'retry-after': retryAfter } }))
      vi.setSystemTime(Date.UTC(2030, 0, 1))
    }
  })

  it('a Retry-After holds back only the retry it answered: a later drop of the stream is resumed after the usual backoff', async () => {
    vi.useFakeTimers()
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      respond: (_, attempt) => {
        if (attempt === 0) return new Response('{}', { status: 503, headers: { 'retry-after': '30' } })
        if (attempt === 1) return streamResponse([sseBody(segment.slice(0, 4))], {}, { error: true })
        return undefined
      },
    })
    const { client } = clientFor(server)
    const done = client.start({})
    await vi.advanceTimersByTimeAsync(30_000)
    expect(server.requests).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(10)
    expect(server.requests.map((r) => [r.action, r.body.startIndex])).toEqual([['start', undefined], ['start', undefined], ['resume', 4]])
    expect((await done).status).toBe('paused')
  })

  it('ignores a Retry-After that is neither seconds nor a date, retrying after the usual backoff', async () => {
    vi.useFakeTimers()
    const server = scriptedServer({
      segments: [articleStartSegment()],
      respond: (_, attempt) => (attempt === 0 ? new Response('{}', { status: 503, headers: { 'retry-after': 'soon' } }) : undefined),
    })
    const { client } = clientFor(server)
    const done = client.start({})
    await vi.advanceTimersByTimeAsync(10)
    expect((await done).status).toBe('paused')
    expect(server.requests).toHaveLength(2)
  })

  it('caps an absurd server retry: at one minute', async () => {
    vi.useFakeTimers()
    await expectRetryBetween(59_000, 61_000, (segment) => streamResponse(['retry: 86400000\n\n', sseBody(segment.slice(0, 2))], {}, { error: true }))
  })
})

describe('actions across segments', () => {
  it('approves a paused run and finishes with the output', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    const finished: unknown[] = []
    const { client } = clientFor(server, { onFinish: (output) => finished.push(output) })
    await client.start({}, { runId: 'run-1' })
    const state = await client.approve(true, 'ship it')
    expect(server.requests[1]).toMatchObject({ action: 'approve', body: { runId: 'run-1', approval: { approvalId: 'a1', approved: true, feedback: 'ship it' } } })
    expect(state).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' }, pendingApproval: null })
    expect(state.steps.map((s) => s.stepName)).toEqual(['writer', 'publisher'])
    expect(state.lastEventIndex).toBe(articleStartSegment().length + articleApproveSegment().length - 1)
    await Promise.resolve()
    expect(finished).toEqual([{ ok: true, article: 'Hello brave world' }])
  })

  it('resumes a dropped approve stream from the cursor', async () => {
    const first = articleStartSegment()
    const second = articleApproveSegment()
    const server = scriptedServer({
      segments: [first, second],
      cut: (request) => (request.action === 'approve' ? new TextEncoder().encode(sseBody(second.slice(0, 4), first.length)).length : undefined),
    })
    const { client } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    const state = await client.approve(true)
    expect(state.status).toBe('finished')
    expect(state.steps[1]!.text).toBe('Published')
    expect(server.requests.at(-1)).toMatchObject({ action: 'resume', body: { startIndex: first.length + 4 } })
  })

  it('rejects approve() with nothing pending, as a programmer error', async () => {
    const server = scriptedServer({ segments: [] })
    const { client } = clientFor(server)
    await expect(client.approve(true)).rejects.toBeInstanceOf(WorkflowUsageError)
    expect(server.requests).toHaveLength(0)
  })

  it('rejects a start() input or signal() payload JSON cannot carry, as a programmer error: nothing sent, nothing retried, the run as it was', async () => {
    const pause = { signalName: 'go' }
    const server = scriptedServer({ segments: [[runStarted('run-1'), stateSnapshot({}), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]] })
    const { client, errors } = clientFor(server)
    // What `onClick={start}` passes: an event whose target leads back to itself.
    const clickEvent: Record<string, unknown> = { type: 'click' }
    clickEvent.target = { ownerEvent: clickEvent }
    await expect(client.start(clickEvent)).rejects.toMatchObject({ name: 'WorkflowUsageError', code: 'not_json' })
    expect(client.state).toMatchObject({ status: 'idle', connection: 'idle', runId: null })
    const paused = await client.start({}, { runId: 'run-1' })
    await expect(client.signal('go', { amount: 10n })).rejects.toMatchObject({ name: 'WorkflowUsageError', code: 'not_json' })
    expect(client.state).toBe(paused)
    expect(server.requests.map((r) => r.action)).toEqual(['start'])
    expect(errors).toEqual([])
  })

  it('signal() twice for the same pause (a double click) is one signal: the second is its idempotent retry', async () => {
    const pause = { signalName: 'go' }
    const paused = [runStarted('run-1'), stateSnapshot({}), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    const goes = [runStarted('run-1'), stateSnapshot({}), runSucceeded('run-1', 'went')]
    let applied: unknown
    const server = scriptedServer({
      segments: [paused],
      respond: (request) => {
        if (request.action !== 'signal') return undefined
        const { signalId } = request.body.signal as { signalId: string }
        // PROTOCOL §4: the same signalId again is served from its segment; another one finds the run no longer paused.
        if (applied === undefined) {
          applied = signalId
          server.log.push(...goes)
          return streamResponse([], {}, { hang: true })
        }
        if (signalId !== applied) return jsonResponse(409, { error: { code: 'run_not_paused', message: 'The run is running, not paused' } })
        return streamResponse([sseBody(goes, paused.length)])
      },
    })
    const { client, errors } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    void client.signal('go')
    await vi.waitFor(() => expect(server.requests).toHaveLength(2))
    const state = await client.signal('go')
    expect(state).toMatchObject({ status: 'finished', output: 'went', error: null })
    expect(errors).toEqual([])
  })

  it('a refused approve() leaves the run paused on the same approval, with the refusal as its error (PROTOCOL §4)', async () => {
    const server = scriptedServer({
      segments: [articleStartSegment(), articleApproveSegment()],
      respond: (request, attempt) =>
        request.action === 'approve' && attempt === 1 ? jsonResponse(409, { error: { code: 'approval_mismatch', message: 'The run is not waiting for this approval' } }) : undefined,
    })
    const { client, errors } = clientFor(server)
    const paused = await client.start({}, { runId: 'run-1' })
    const refused = await client.approve(true)
    expect(refused).toMatchObject({ status: 'paused', connection: 'closed', pendingApproval: paused.pendingApproval, error: { code: 'approval_mismatch' } })
    expect(refused.steps).toEqual(paused.steps)
    expect(errors).toEqual(['approval_mismatch'])
    // Answered again, it goes through. (A conflict is followed: this run had not moved, so nothing new came.)
    expect(await client.approve(true)).toMatchObject({ status: 'finished', error: null })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'approve', 'resume', 'approve'])
  })

  it('an approve() refused because another tab already answered (409) follows the run to where that answer took it', async () => {
    const server = answeredElsewhereServer()
    const tabA = clientFor(server)
    const tabB = clientFor(server)
    await tabA.client.start({}, { runId: 'run-1' })
    expect((await tabB.client.attach('run-1')).status).toBe('paused')
    const approved = await tabA.client.approve(true)
    const shownErrors: Array<string | undefined> = []
    tabB.client.subscribe((state) => shownErrors.push(state.error?.code))
    const refused = await tabB.client.approve(false, 'Shorter, please')
    // The run as the other answer took it, and why this tab's decision did not count: kept in
    // the state through the follow (a UI reading only the state shows it), not only told to onError.
    expect(refused).toMatchObject({ status: 'finished', connection: 'closed', pendingApproval: null, output: approved.output })
    expect(refused.error).toEqual({ code: 'approval_conflict', message: 'This approval was already answered' })
    expect(shownErrors.slice(shownErrors.indexOf('approval_conflict'))).toEqual(shownErrors.slice(shownErrors.indexOf('approval_conflict')).map(() => 'approval_conflict'))
    expect(tabB.errors).toEqual(['approval_conflict'])
    // The next action starts clean.
    expect((await tabB.client.start({}, { runId: 'run-2' })).error).toBeNull()
  })

  it('a reader that acts on a refusal (onError or a subscriber: reset(), another approve()) is not undone by the follow the refusal would start', async () => {
    // Each run: paused on a1; approve(false) is refused as already answered, approve(true) goes through.
    const conflicted = () => {
      const server = answeredElsewhereServer()
      let onConflict = (_client: WorkflowClient) => {}
      const client: WorkflowClient = new WorkflowClient({
        connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
        reconnect: fastReconnect,
        onError: (error) => error.code === 'approval_conflict' && onConflict(client),
      })
      return { server, client, onConflict: (act: (client: WorkflowClient) => void) => (onConflict = act) }
    }
    const idle = { status: 'idle', connection: 'idle', runId: null }

    // The app lets go of the run it was refused on: it stays let go of, nothing more is asked.
    const lettingGo = conflicted()
    await lettingGo.client.start({}, { runId: 'run-1' })
    lettingGo.onConflict((client) => client.reset())
    expect(await lettingGo.client.approve(false)).toMatchObject(idle)
    expect(lettingGo.client.state).toMatchObject(idle)
    expect(lettingGo.server.requests.map((r) => r.action)).toEqual(['start', 'approve'])

    // The app answers again at once: that answer is the one followed, not cut by a follow of the refused one.
    const answering = conflicted()
    await answering.client.start({}, { runId: 'run-1' })
    let again: Promise<unknown> | undefined
    answering.onConflict((client) => void (again = client.approve(true)))
    await answering.client.approve(false)
    expect(await again).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' } })
    expect(answering.server.requests.map((r) => r.action)).toEqual(['start', 'approve', 'approve'])

    // A subscriber that lets go of the run on seeing the refusal is heard as well.
    const subscribed = conflicted()
    await subscribed.client.start({}, { runId: 'run-1' })
    subscribed.client.subscribe((state) => state.error?.code === 'approval_conflict' && subscribed.client.reset())
    expect(await subscribed.client.approve(false)).toMatchObject(idle)
    expect(subscribed.server.requests.map((r) => r.action)).toEqual(['start', 'approve'])
  })

  it('an approve() answered 2xx with something other than an event stream was not refused: the client follows the run to find out where it went', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    // A gateway in front of the server takes the action and answers for it in JSON.
    const fetchClient = async (url: string, init: RequestInit): Promise<Response> => {
      const response = await server.fetchClient(url, init)
      if (!String(init.body).includes('"approval"')) return response
      await response.body?.cancel()
      return jsonResponse(200, { runId: 'run-1', status: 'running' })
    }
    const errors: string[] = []
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient }), reconnect: fastReconnect, onError: (error) => errors.push(error.code) })
    await client.start({}, { runId: 'run-1' })
    expect(await client.approve(true)).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' }, pendingApproval: null })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'approve', 'resume'])
    expect(errors).toEqual(['http_error'])
  })

  it('an approve() that never reached the server (network down) keeps the pause: resume() once it is back finds nothing new, not a lost connection', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    let down = false
    const fetchClient = async (url: string, init: RequestInit): Promise<Response> => {
      if (down) throw new TypeError('Failed to fetch')
      return server.fetchClient(url, init)
    }
    const errors: string[] = []
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient }), reconnect: fastReconnect, onError: (error) => errors.push(error.code) })
    await client.start({}, { runId: 'run-1' })
    down = true
    // Nobody knows whether the server has it: the approval stays on screen, the lost connection is the error.
    expect(await client.approve(true)).toMatchObject({ status: 'paused', connection: 'closed', error: { code: 'connection_lost' }, pendingApproval: { approvalId: 'a1' } })
    down = false
    expect(await client.resume()).toMatchObject({ status: 'paused', connection: 'closed', error: null, pendingApproval: { approvalId: 'a1' } })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'resume'])
    expect(errors).toEqual(['connection_lost'])
    expect(await client.approve(true)).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' } })
  })

  it('a signal() refused for its payload keeps the pause: a later resume() finds nothing new and is complete, not a drop', async () => {
    const pause = { signalName: 'go' }
    const paused = [runStarted('run-1'), stateSnapshot({}), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    const server = scriptedServer({
      segments: [paused],
      respond: (request) => (request.action === 'signal' ? jsonResponse(400, { error: { code: 'invalid_input', message: 'Signal payload is invalid' } }) : undefined),
    })
    const { client, errors } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    expect(await client.signal('go', { bad: true })).toMatchObject({ status: 'paused', pendingSignal: { signalName: 'go' }, error: { code: 'invalid_input' } })
    expect(await client.resume()).toMatchObject({ status: 'paused', connection: 'closed', pendingSignal: { signalName: 'go' } })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'signal', 'resume'])
    expect(errors).toEqual(['invalid_input'])
  })

  it('a signal() that cut a stream still bringing its segment\'s end gets the events it never read from the cursor, not a gap: no step left running', async () => {
    const pause = { signalName: 'go' }
    const prepare = { stepName: 'prepare', stepId: 's1', stepType: 'step' as const }
    const ship = { stepName: 'ship', stepId: 's2', stepType: 'step' as const }
    const first = [runStarted('run-1'), stateSnapshot({}), stepStarted(prepare), stepFinished({ ...prepare, result: 1 }), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    const second = [runStarted('run-1'), stateSnapshot({}), stepStarted(ship), stepFinished({ ...ship, result: 2 }), runSucceeded('run-1', 'shipped')]
    // The run has paused on the server; this tab's stream has brought only its first three events yet.
    const server = scriptedServer({
      segments: [first, second],
      respond: (request) => (request.action === 'start' ? streamResponse([sseBody(first.slice(0, 3))], {}, { hang: true }) : undefined),
    })
    const { client, errors } = clientFor(server)
    void client.start({}, { runId: 'run-1' })
    await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(2))
    // The signal's answer is the new segment, from index 6.
    const state = await client.signal('go')
    expect(state).toMatchObject({ status: 'finished', output: 'shipped', currentStep: null, lastEventIndex: first.length + second.length - 1 })
    expect(state.steps.map((step) => [step.stepId, step.status])).toEqual([['s1', 'finished'], ['s2', 'finished']])
    expect(server.requests.map((r) => [r.action, r.body.startIndex])).toEqual([['start', undefined], ['signal', undefined], ['resume', 3]])
    expect(errors).toEqual([])
  })

  it('a signal() refused because the run is still streaming (sent too early) follows the run again from the cursor', async () => {
    const { server, client, errors } = await startedThenRefused(articleStartSegment(), 3, 'signal', 'The run is running, not paused')
    const state = await client.signal('go')
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'signal', 'resume'])
    expect(server.requests[2]!.body).toMatchObject({ startIndex: 3 })
    // Where the run went, and why the signal did not count: a UI reading only the state shows both.
    expect(state).toMatchObject({ status: 'paused', currentText: 'Hello brave world', pendingApproval: { approvalId: 'a1' }, error: { code: 'run_not_paused' } })
    expect(errors).toEqual(['run_not_paused'])
  })

  it('attaches to a run by id and replays it', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()] })
    const { client: first } = clientFor(server)
    await first.start({}, { runId: 'run-1' })
    const { client: reloaded } = clientFor(server)
    const state = await reloaded.attach('run-1')
    expect(state).toMatchObject({ runId: 'run-1', status: 'paused', currentText: 'Hello brave world' })
    expect(server.requests.at(-1)).toMatchObject({ action: 'resume', body: { runId: 'run-1', startIndex: 0 } })
  })
})

describe('attach from a cursor', () => {
  it('a startIndex that is no index (NaN from an unset cursor, a fraction, Infinity) is refused as a programmer error: nothing sent, the run shown as it was', async () => {
    const server = scriptedServer({ segments: [articleStartSegment()] })
    const { client, errors } = clientFor(server)
    const paused = await client.start({}, { runId: 'run-1' })
    for (const startIndex of [Number.NaN, 2.5, Number.POSITIVE_INFINITY, -Infinity]) {
      await expect(client.attach('run-1', { startIndex })).rejects.toMatchObject({ name: 'WorkflowUsageError', code: 'invalid_start_index' })
    }
    expect(client.state).toBe(paused)
    expect(server.requests.map((r) => r.action)).toEqual(['start'])
    expect(errors).toEqual([])
  })

  it('a run joined mid-segment reads running while its events stream, not idle', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      // The run is still writing: its stream stops after the first token and stays open.
      respond: (request) => (request.action === 'resume' ? streamResponse([sseBody(segment.slice(3, 5), 3)], {}, { hang: true }) : undefined),
    })
    const { client } = clientFor(server)
    void client.attach('run-1', { startIndex: 3 })
    await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(4))
    expect(client.state).toMatchObject({ runId: 'run-1', status: 'running', connection: 'open' })
    client.dispose()
  })

  it('a delta with no snapshot to patch replays the run from 0 instead of patching {}', async () => {
    // An `add` that {} would take without complaint.
    const segment = articleStartSegment().map((event, index) => (index === 9 ? stateDelta([{ op: 'add', path: '/phase', value: 'review' }], { timestamp: 1 }) : event))
    const server = scriptedServer({ segments: [segment] })
    const { client, errors } = clientFor(server)
    const state = await client.attach('run-1', { startIndex: 8 })
    expect(errors).toEqual(['state_patch_failed'])
    expect(server.requests.map((request) => request.body.startIndex)).toEqual([8, 0])
    expect(state).toMatchObject({ status: 'paused', state: { phase: 'review', drafts: [] }, currentText: 'Hello brave world' })
  })

  it('attaching again from a cursor (back to a page that shows the run) gets its replay from 0 again, not an error for a second failure', async () => {
    const segment = articleStartSegment().map((event, index) => (index === 9 ? stateDelta([{ op: 'add', path: '/phase', value: 'review' }], { timestamp: 1 }) : event))
    const server = scriptedServer({ segments: [segment] })
    const { client } = clientFor(server)
    const first = await client.attach('run-1', { startIndex: 8 })
    const again = await client.attach('run-1', { startIndex: 8 })
    expect(again).toMatchObject({ status: 'paused', error: null, state: first.state, currentText: 'Hello brave world' })
    expect(server.requests.map((request) => request.body.startIndex)).toEqual([8, 0, 8, 0])
  })

  it('a new segment of the same run does not give a client that joined mid-run a base: a delta before its snapshot still replays from 0', async () => {
    const pause = { signalName: 'go' }
    const first = [runStarted('run-1'), stateSnapshot({ phase: 'review', drafts: ['d'] }), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    // The run's state carries over into its next segment; an `add` {} would take without complaint.
    const second = [runStarted('run-1'), stateDelta([{ op: 'add', path: '/approved', value: true }]), runSucceeded('run-1', 'done')]
    const log = [...first, ...second]
    const server = scriptedServer({
      segments: [],
      respond: (request) => {
        const from = Number(request.body.startIndex)
        return request.action === 'resume' ? streamResponse([sseBody(log.slice(from), from)]) : undefined
      },
    })
    const { client, errors } = clientFor(server)
    const state = await client.attach('run-1', { startIndex: first.length })
    expect(state).toMatchObject({ status: 'finished', state: { phase: 'review', drafts: ['d'], approved: true } })
    expect(errors).toEqual(['state_patch_failed'])
  })
  it('attach from the end (-k) that drops before its first event asks for the last k again, not for the whole log', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({ segments: [segment], cut: (_, attempt) => (attempt === 0 ? 0 : undefined) })
    const events: number[] = []
    const { client } = clientFor(server, { onEvent: (_, index) => events.push(index) })
    const state = await client.attach('run-1', { startIndex: -2 })
    expect(server.requests.map((request) => request.body.startIndex)).toEqual([-2, -2])
    expect(events).toEqual([segment.length - 2, segment.length - 1])
    expect(state).toMatchObject({ status: 'paused', lastEventIndex: segment.length - 1 })
  })
})

describe('connections that misbehave', () => {
  it('a connection that ignores the abort signal and never answers is dropped by the idle timeout, not left connecting', async () => {
    vi.useFakeTimers()
    const connection = { send: () => new Promise<Response>(() => {}) }
    const errors: string[] = []
    const client = new WorkflowClient({ connection, idleTimeoutMs: 1000, reconnect: false, onError: (error) => errors.push(error.code) })
    const started = client.start({}, { runId: 'run-1' })
    await vi.advanceTimersByTimeAsync(1000)
    expect(await started).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'connection_lost' } })
    expect(errors).toEqual(['connection_lost'])
    client.dispose()
  })

  it('a store subscriber that throws is not a dropped connection: no extra request, and the action settles', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({ segments: [segment] })
    const { client, errors } = clientFor(server)
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
    client.store.subscribe(() => {
      throw new Error('a broken view')
    })
    const seen: string[] = []
    client.subscribe((state) => seen.push(state.status))
    const state = await client.start({}, { runId: 'run-1' })
    expect(state).toMatchObject({ status: 'paused', ...uncut })
    // Other readers still hear every publication.
    expect(seen.at(-1)).toBe('paused')
    expect(server.requests.map((request) => request.action)).toEqual(['start'])
    expect(errors).toEqual([])
    expect(consoleError).toHaveBeenCalled()
    consoleError.mockRestore()
  })
})

describe('stop, disconnect and superseded connections', () => {
  function hangingServer() {
    const segment = articleStartSegment()
    let release: ((value: string) => void) | undefined
    const late = new Promise<string>((resolve) => (release = resolve))
    const server = scriptedServer({
      segments: [segment],
      respond: (request: RecordedRequest) => {
        if (request.action !== 'start') return undefined
        // Four events now, the rest only when the test releases them.
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode(sseBody(segment.slice(0, 4))))
            controller.enqueue(new TextEncoder().encode(await late))
            controller.close()
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      },
    })
    return { server, segment, releaseLate: () => release!(sseBody(segment.slice(4), 4)) }
  }

  async function untilEvents(client: WorkflowClient, count: number) {
    await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(count - 1))
  }

  it('stop() sends abort, ends streaming and ignores late events', async () => {
    const { server, releaseLate } = hangingServer()
    const { client } = clientFor(server)
    const started = client.start({}, { runId: 'run-1' })
    await untilEvents(client, 4)
    const stopped = await client.stop()
    releaseLate()
    await started
    expect(stopped).toMatchObject({ status: 'aborted', connection: 'closed', error: { code: 'aborted' }, currentStep: null })
    // The step that was streaming ends as the server's RUN_ERROR would end it for any other reader.
    expect(stopped.steps[0]).toMatchObject({ stepName: 'writer', status: 'failed', error: { name: 'aborted' } })
    expect(stopped.steps[0]!.finishedAt).toBeGreaterThanOrEqual(stopped.steps[0]!.startedAt)
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'abort'])
    expect(server.requests[1]!.body).toMatchObject({ runId: 'run-1', abort: true })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(client.state.lastEventIndex).toBe(3)
    expect(client.state.status).toBe('aborted')
  })

  it('disconnect() sends nothing; the run can be resumed from the cursor later', async () => {
    const { server, releaseLate } = hangingServer()
    const { client } = clientFor(server)
    const started = client.start({}, { runId: 'run-1' })
    await untilEvents(client, 4)
    client.disconnect()
    releaseLate()
    await started
    expect(client.state).toMatchObject({ status: 'running', connection: 'closed', lastEventIndex: 3 })
    expect(server.requests.map((r) => r.action)).toEqual(['start'])
    const resumed = await client.resume()
    expect(resumed).toMatchObject({ status: 'paused', currentText: 'Hello brave world' })
    expect(server.requests[1]).toMatchObject({ action: 'resume', body: { startIndex: 4 } })
  })

  it('disconnect() before an approve() is answered shows the run as it was: resume() then finds out whether the approval arrived', async () => {
    for (const arrived of [false, true]) {
      const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
      const { fetchClient, hung } = firstApprovalUnanswered(server, { arrived })
      const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient }), reconnect: fastReconnect })
      await client.start({}, { runId: 'run-1' })
      const approving = client.approve(true)
      await vi.waitFor(() => expect(hung).toHaveLength(1))
      client.disconnect()
      await approving
      // Nobody knows yet whether the server has it: the approval stays on screen (approving again is the idempotent retry).
      expect(client.state).toMatchObject({ status: 'paused', connection: 'closed', error: null, pendingApproval: { approvalId: 'a1' } })
      const resumed = await client.resume()
      if (arrived) {
        expect(resumed).toMatchObject({ status: 'finished', error: null, output: { ok: true, article: 'Hello brave world' } })
        continue
      }
      // Nothing new: the run is still paused on the server, which is not a lost connection.
      expect(resumed).toMatchObject({ status: 'paused', connection: 'closed', error: null, pendingApproval: { approvalId: 'a1' } })
      expect(await client.approve(true)).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' } })
    }
  })

  it('resume() before an approve() is answered cuts it as disconnect() does: finding nothing new leaves the run paused, not a lost connection', async () => {
    for (const arrived of [false, true]) {
      const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
      const { fetchClient, hung } = firstApprovalUnanswered(server, { arrived })
      const errors: string[] = []
      const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient }), reconnect: fastReconnect, onError: (error) => errors.push(error.code) })
      await client.start({}, { runId: 'run-1' })
      const approving = client.approve(true)
      await vi.waitFor(() => expect(hung).toHaveLength(1))
      const resumed = await client.resume()
      await approving
      expect(errors).toEqual([])
      if (arrived) {
        expect(resumed).toMatchObject({ status: 'finished', error: null, output: { ok: true, article: 'Hello brave world' } })
        continue
      }
      expect(resumed).toMatchObject({ status: 'paused', connection: 'closed', error: null, pendingApproval: { approvalId: 'a1' } })
      expect(server.requests.map((r) => r.action)).toEqual(['start', 'resume'])
      expect(await client.approve(true)).toMatchObject({ status: 'finished', output: { ok: true, article: 'Hello brave world' } })
    }
  })

  it('a double-clicked approve() nobody answered, then disconnect(): the run reads as it was before the first click, and resume() finds out', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    const { fetchClient, hung } = firstApprovalUnanswered(server, { arrived: false, every: true })
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient }), reconnect: fastReconnect })
    await client.start({}, { runId: 'run-1' })
    const clicks = [client.approve(true)]
    await vi.waitFor(() => expect(hung).toHaveLength(1))
    clicks.push(client.approve(true))
    await vi.waitFor(() => expect(hung).toHaveLength(2))
    client.disconnect()
    await Promise.all(clicks)
    expect(client.state).toMatchObject({ status: 'paused', connection: 'closed', error: null, pendingApproval: { approvalId: 'a1' } })
    // Neither reached the server: nothing new, still paused, not a lost connection.
    expect(await client.resume()).toMatchObject({ status: 'paused', connection: 'closed', error: null, pendingApproval: { approvalId: 'a1' } })
  })

  it('a second approve() over an unanswered first one that the server refuses follows the run: the first may have moved it on', async () => {
    const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
    let approvals = 0
    const fetchClient = async (url: string, init: RequestInit): Promise<Response> => {
      if (!String(init.body).includes('"approval"')) return server.fetchClient(url, init)
      approvals++
      // The first click reaches the server, which applies it; its answer is lost with the cut.
      if (approvals === 1) {
        void server.fetchClient(url, { ...init, signal: undefined })
        return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)))
      }
      // The second (another decision) is refused: the approval was already answered.
      return jsonResponse(409, { error: { code: 'approval_conflict', message: 'This approval was already answered with a different decision' } })
    }
    const errors: string[] = []
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient }), reconnect: fastReconnect, onError: (error) => errors.push(error.code) })
    await client.start({}, { runId: 'run-1' })
    const first = client.approve(true)
    await vi.waitFor(() => expect(approvals).toBe(1))
    const second = await client.approve(false, 'shorter')
    await first
    expect(errors).toEqual(['approval_conflict'])
    // The run as the first click took it, and why the second decision did not count, kept in the state.
    expect(second).toMatchObject({
      status: 'finished',
      connection: 'closed',
      pendingApproval: null,
      output: { ok: true, article: 'Hello brave world' },
      error: { code: 'approval_conflict', message: 'This approval was already answered with a different decision' },
    })
  })

  it('a superseded connection never applies its late events', async () => {
    const { server, releaseLate } = hangingServer()
    const { client } = clientFor(server)
    const first = client.start({}, { runId: 'run-1' })
    await untilEvents(client, 4)
    const second = scriptedServer({ segments: [articleStartSegment('run-2')] })
    client.setOptions({ connection: fetchWorkflowEvents('/x', { fetchClient: second.fetchClient }), reconnect: fastReconnect })
    const state = await client.start({}, { runId: 'run-2' })
    releaseLate()
    await first
    expect(state.runId).toBe('run-2')
    expect(client.state.runId).toBe('run-2')
    expect(client.state.steps).toHaveLength(1)
    expect(client.state.currentText).toBe('Hello brave world')
  })

  it('stop() or reset() from onEvent mid-chunk: the rest of that chunk is never applied, and text the app was told of is not lost', async () => {
    const segment = articleStartSegment()
    for (const action of ['stop', 'reset'] as const) {
      const server = scriptedServer({ segments: [segment], respond: (request) => (request.action === 'start' ? streamResponse([sseBody(segment)]) : undefined) })
      const finished = vi.fn()
      const client: WorkflowClient = new WorkflowClient({
        connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
        reconnect: fastReconnect,
        // The whole segment is one chunk: the app acts when the writer's message ends, right after its folded deltas.
        onEvent: (event) => void (event.type === 'TEXT_MESSAGE_END' && client[action]()),
        onFinish: finished,
      })
      await client.start({}, { runId: 'run-1' })
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (action === 'reset') {
        expect(client.state).toMatchObject({ status: 'idle', runId: null, lastEventIndex: -1, steps: [], pendingApproval: null })
        continue
      }
      // Aborted where the app stopped it: the pause after it never shows, the text before it all does.
      expect(client.state).toMatchObject({ status: 'aborted', connection: 'closed', pendingApproval: null, lastEventIndex: 6, currentText: 'Hello brave world' })
      expect(client.state.steps[0]).toMatchObject({ status: 'failed', text: 'Hello brave world', error: { name: 'aborted' } })
      expect(finished).not.toHaveBeenCalled()
    }
  })

  it('stop() from onEvent on a token mid-chunk keeps the tokens the app heard before it', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({ segments: [segment], respond: (request) => (request.action === 'start' ? streamResponse([sseBody(segment)]) : undefined) })
    const client: WorkflowClient = new WorkflowClient({
      connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
      reconnect: fastReconnect,
      // The whole segment is one chunk: the app stops on the third token, as a "stop word" filter would.
      onEvent: (event) => void (event.type === 'TEXT_MESSAGE_CONTENT' && event.delta === 'world' && client.stop()),
    })
    await client.start({}, { runId: 'run-1' })
    await vi.waitFor(() => expect(client.state.status).toBe('aborted'))
    expect(client.state).toMatchObject({ lastEventIndex: 5, currentText: 'Hello brave ' })
    expect(client.state.steps[0]).toMatchObject({ status: 'failed', text: 'Hello brave ' })
  })

  it('a connection that ignores the abort signal: the answer that arrives after disconnect() has its body released', async () => {
    let answer: ((response: Response) => void) | undefined
    const client = new WorkflowClient({ connection: { send: () => new Promise<Response>((resolve) => (answer = resolve)) } })
    void client.start({})
    await vi.waitFor(() => expect(answer).toBeDefined())
    client.disconnect()
    const cancelled = vi.fn()
    answer!(new Response(new ReadableStream({ cancel: cancelled }), { headers: { 'content-type': 'text/event-stream' } }))
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled())
    expect(client.state).toMatchObject({ status: 'running', connection: 'closed', lastEventIndex: -1 })
  })

  it('stop() settles even when the abort request never gets an answer', async () => {
    const { server } = hangingServer()
    const errors: string[] = []
    const silentOnAbort = {
      send: (request: ConnectionRequest) =>
        request.action === 'abort'
          ? neverAnswered(request)
          : fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }).send(request),
    }
    const client = new WorkflowClient({ connection: silentOnAbort, idleTimeoutMs: 50, reconnect: fastReconnect, onError: (error) => errors.push(error.code) })
    void client.start({}, { runId: 'run-1' })
    await untilEvents(client, 4)
    const stopped = await client.stop()
    expect(stopped).toMatchObject({ status: 'aborted', connection: 'closed' })
    // Each try waited the idle timeout; the last failure is reported, once.
    expect(server.requests.map((request) => request.action)).toEqual(['start'])
    expect(errors).toEqual(['http_error'])
    client.dispose()
  })

  it('stop() settles even when the connection ignores the abort request\'s signal and never answers it', async () => {
    const { server } = hangingServer()
    const errors: string[] = []
    const deafOnAbort = {
      send: (request: ConnectionRequest) =>
        request.action === 'abort' ? new Promise<Response>(() => {}) : fetchWorkflowEvents('/x', { fetchClient: server.fetchClient }).send(request),
    }
    const options = { connection: deafOnAbort, reconnect: fastReconnect, onError: (error: { code: string }) => errors.push(error.code) }
    const client = new WorkflowClient(options)
    void client.start({}, { runId: 'run-1' })
    await untilEvents(client, 4)
    // How long stop() waits for each answer.
    client.setOptions({ ...options, idleTimeoutMs: 20 })
    const settled = await Promise.race([client.stop().then(() => 'settled'), new Promise((resolve) => setTimeout(resolve, 3_000, 'pending'))])
    expect(settled).toBe('settled')
    expect(client.state).toMatchObject({ status: 'aborted', connection: 'closed' })
    expect(errors).toEqual(['http_error'])
    client.dispose()
  })

  describe('an abort lost on its way (offline, a 5xx) is retried as a dropped stream is', () => {
    function flakyAbort(failures: Array<'network' | number>) {
      const segment = articleStartSegment()
      const aborts: number[] = []
      const server = scriptedServer({
        segments: [segment],
        respond: (request) => {
          if (request.action !== 'abort') return undefined
          const failure = failures[aborts.push(aborts.length) - 1]
          if (failure === 'network') throw new TypeError('Failed to fetch')
          return failure === undefined ? undefined : jsonResponse(failure, { error: { code: 'internal', message: 'try again' } })
        },
      })
      return { server, aborts }
    }

    it('until the server takes it: nothing is reported', async () => {
      const { server, aborts } = flakyAbort(['network', 503])
      const { client, errors } = clientFor(server)
      await client.start({}, { runId: 'run-1' })
      expect(await client.stop()).toMatchObject({ status: 'aborted', connection: 'closed' })
      expect(aborts).toHaveLength(3)
      expect(errors).toEqual([])
    })

    it('up to the retry budget, then reported once', async () => {
      const { server, aborts } = flakyAbort(Array(10).fill('network'))
      const { client, errors } = clientFor(server)
      await client.start({}, { runId: 'run-1' })
      await client.stop()
      expect(aborts).toHaveLength(fastReconnect.maxAttempts + 1)
      expect(errors).toEqual(['http_error'])
    })

    it('never when the server refuses it (4xx), nor with reconnect: false', async () => {
      for (const [failure, reconnect] of [[404, fastReconnect], ['network', false]] as const) {
        const { server, aborts } = flakyAbort([failure, failure])
        const { client, errors } = clientFor(server, { reconnect })
        await client.start({}, { runId: 'run-1' })
        await client.stop()
        expect(aborts).toHaveLength(1)
        expect(errors).toEqual([failure === 404 ? 'internal' : 'http_error'])
      }
    })

    it('dispose() ends the retries and leaves no timer', async () => {
      vi.useFakeTimers()
      const { server, aborts } = flakyAbort(Array(10).fill('network'))
      const { client } = clientFor(server, { reconnect: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 1000 } })
      await client.start({}, { runId: 'run-1' })
      const stopping = client.stop()
      await vi.advanceTimersByTimeAsync(0)
      expect(aborts).toHaveLength(1)
      client.dispose()
      await stopping
      expect(aborts).toHaveLength(1)
      expect(vi.getTimerCount()).toBe(0)
    })
  })

  it('stop() while the start is on its way sends the abort only once the start is answered, so it never overtakes the run it aborts', async () => {
    const sent: string[] = []
    let answerStart: (() => void) | undefined
    const startSignals: AbortSignal[] = []
    const connection = {
      send: (request: ConnectionRequest) => {
        sent.push(request.action)
        if (request.action === 'abort') return Promise.resolve(jsonResponse(202, { runId: 'run-1', status: 'aborted' }))
        startSignals.push(request.signal)
        // Like fetch: the request is cancelled if its signal aborts before the answer.
        return new Promise<Response>((resolve, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason))
          answerStart = () => resolve(streamResponse([sseBody([runStarted('run-1', { timestamp: 1 })])], {}, { hang: true }))
        })
      },
    }
    const client = new WorkflowClient({ connection })
    void client.start({}, { runId: 'run-1' })
    await vi.waitFor(() => expect(sent).toEqual(['start']))
    const stopping = client.stop()
    // Shown stopped at once; the abort waits for the start's answer, its request still out.
    expect(client.state).toMatchObject({ status: 'aborted', connection: 'closed' })
    expect(sent).toEqual(['start'])
    expect(startSignals[0]!.aborted).toBe(false)
    answerStart!()
    const stopped = await stopping
    expect(sent).toEqual(['start', 'abort'])
    // The late answer is released, never applied.
    expect(startSignals[0]!.aborted).toBe(true)
    expect(stopped).toMatchObject({ status: 'aborted', connection: 'closed', lastEventIndex: -1 })
    client.dispose()
  })

  it('stop() while the start is on its way still settles when the start is never answered', async () => {
    vi.useFakeTimers()
    const sent: string[] = []
    const connection = abortOnlyConnection(sent)
    const client = new WorkflowClient({ connection, idleTimeoutMs: 1000 })
    void client.start({}, { runId: 'run-1' })
    await vi.advanceTimersByTimeAsync(0)
    const stopping = client.stop()
    await vi.advanceTimersByTimeAsync(1000)
    expect(await stopping).toMatchObject({ status: 'aborted', connection: 'closed' })
    expect(sent).toEqual(['start', 'abort'])
    expect(vi.getTimerCount()).toBe(0)
    client.dispose()
  })

  it('stop() after the connection was lost still aborts the run on the server', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({
      segments: [segment],
      cut: (_, attempt) => (attempt === 0 ? byteLength(segment.slice(0, 4)) : undefined),
      respond: (request) => (request.action === 'resume' ? jsonResponse(502, {}) : undefined),
    })
    const { client } = clientFor(server, { reconnect: false })
    expect((await client.start({}, { runId: 'run-1' })).error?.code).toBe('connection_lost')
    const stopped = await client.stop()
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'abort'])
    expect(stopped).toMatchObject({ status: 'aborted', error: { code: 'aborted' }, currentStep: null })
  })

  it('stop() refused because the run already ended on the server (409) shows how it ended, not aborted', async () => {
    // This tab lags: its stream has the run's first events only when Stop is pressed; the run has finished meanwhile.
    const { server, client, errors } = await startedThenRefused(articleApproveSegment('run-1'), 4, 'abort', 'The run has already finished')
    const stopped = await client.stop()
    expect(stopped).toMatchObject({ status: 'finished', connection: 'closed', output: { ok: true, article: 'Hello brave world' } })
    expect(stopped.steps).toEqual([expect.objectContaining({ stepName: 'publisher', status: 'finished', result: { url: '/a/1' } })])
    expect(stopped.steps[0]).not.toHaveProperty('error')
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'abort', 'resume'])
    expect(errors).toEqual(['run_not_paused'])
  })

  it('a subscriber that lets go of a stopped run (reset() on aborted) stays let go of when the server refuses the abort (409)', async () => {
    const { server, client } = await startedThenRefused(articleApproveSegment('run-1'), 4, 'abort', 'The run has already finished')
    client.subscribe((state) => state.status === 'aborted' && client.reset())
    expect(await client.stop()).toMatchObject({ status: 'idle', connection: 'idle', runId: null })
    expect(client.state).toMatchObject({ status: 'idle', runId: null })
    expect(server.requests.map((r) => r.action)).toEqual(['start', 'abort'])
  })

  it('stop() while an attach waits for its first event aborts the run it follows (an adapter\'s stopOnUnmount right after attach)', async () => {
    const sent: string[] = []
    // The resume is never answered.
    const connection = abortOnlyConnection(sent)
    const client = new WorkflowClient({ connection })
    void client.attach('run-1')
    await vi.waitFor(() => expect(sent).toEqual(['resume']))
    const stopped = await client.stop()
    expect(sent).toEqual(['resume', 'abort'])
    expect(stopped).toMatchObject({ status: 'aborted', connection: 'closed', runId: 'run-1', error: { code: 'aborted' } })
    client.dispose()
  })

  it('stop() while an attach waits for its first event, of a run that already ended (409), shows how it ended', async () => {
    const segment = articleStartSegment()
    let resumes = 0
    const connection = {
      send: (request: ConnectionRequest) => {
        if (request.action === 'abort') return Promise.resolve(jsonResponse(409, { error: { code: 'run_not_paused', message: 'The run has already finished' } }))
        // The first look is never answered; the one after the refused abort reads the log.
        if (resumes++ === 0) return neverAnswered(request)
        return Promise.resolve(streamResponse([sseBody(segment)]))
      },
    }
    const client = new WorkflowClient({ connection })
    void client.attach('run-1')
    await vi.waitFor(() => expect(resumes).toBe(1))
    const stopped = await client.stop()
    expect(stopped).toMatchObject({ status: 'paused', connection: 'closed', runId: 'run-1' })
    expect(stopped.pendingApproval).not.toBeNull()
    client.dispose()
  })

  it('stop() on a client that never ran sends nothing and stays idle', async () => {
    const server = scriptedServer({ segments: [] })
    const { client } = clientFor(server)
    const state = await client.stop()
    expect(state).toMatchObject({ status: 'idle', connection: 'idle' })
    expect(server.requests).toHaveLength(0)
  })

  it('dispose() leaves no timer behind and refuses further actions', async () => {
    vi.useFakeTimers()
    const { server } = hangingServer()
    const { client } = clientFor(server, { idleTimeoutMs: 60_000, throttleMs: 50 })
    const listener = vi.fn()
    client.subscribe(listener)
    void client.start({})
    await vi.advanceTimersByTimeAsync(0)
    await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(3))
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    client.dispose()
    expect(client.state.connection).toBe('closed')
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(0)
    const calls = listener.mock.calls.length
    await expect(client.start({})).rejects.toBeInstanceOf(WorkflowUsageError)
    expect(listener.mock.calls.length).toBe(calls)
  })

  it('a disposed client calls none of its callbacks: a stop() whose abort fails afterwards reports nothing', async () => {
    const { server } = hangingServer()
    const calls: string[] = []
    let failAbort: ((error: Error) => void) | undefined
    const fetchClient = (url: string, init: RequestInit): Promise<Response> =>
      String(init.body).includes('"abort"') ? new Promise((_, reject) => (failAbort = reject)) : server.fetchClient(url, init)
    const client = new WorkflowClient({
      connection: fetchWorkflowEvents('/api/workflow', { fetchClient }),
      reconnect: fastReconnect,
      onError: (error) => calls.push(`error:${error.code}`),
      onStateChange: (state) => calls.push(`state:${state.status}`),
    })
    void client.start({}, { runId: 'run-1' })
    await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(3))
    const stopping = client.stop()
    client.dispose()
    const before = calls.length
    await vi.waitFor(() => expect(failAbort).toBeDefined())
    failAbort!(new Error('network down'))
    await stopping
    expect(calls.slice(before)).toEqual([])
  })
})

describe('a pause the server ends by itself at its deadline', () => {
  const sleepStep = { stepName: 'sleep', stepId: 'z1', stepType: 'signal' as const }
  function sleepingRun(deadline: number | string) {
    const pause = { signalName: '__sleep', deadline: typeof deadline === 'string' ? deadline : new Date(deadline).toISOString() }
    const asleep = [runStarted('run-1'), stateSnapshot({}), stepStarted(sleepStep), stepFinished(sleepStep, { metadata: { suspended: true } }), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    const woken = [runStarted('run-1'), stateSnapshot({}), stepStarted(sleepStep), stepFinished({ ...sleepStep, result: null }), runSucceeded('run-1', 'awake')]
    return { asleep, woken }
  }

  it('comes back at the deadline, and again later while the server has not moved on yet', async () => {
    vi.useFakeTimers()
    const { asleep, woken } = sleepingRun(Date.now() + 1_000)
    // The server wakes the run only on the third look (its clock is behind this one).
    const server = scriptedServer({
      segments: [asleep],
      respond: (request) => {
        if (request.action === 'resume' && server.requests.length === 4) server.log.push(...woken)
        return undefined
      },
    })
    const { client } = clientFor(server)
    const paused = await client.start({}, { runId: 'run-1' })
    expect(paused).toMatchObject({ status: 'paused', pendingSignal: null })
    await vi.advanceTimersByTimeAsync(999)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(client.state).toMatchObject({ status: 'finished', output: 'awake', connection: 'closed' })
    expect(server.requests.map((request) => [request.action, request.body.startIndex])).toEqual([
      ['start', undefined],
      ['resume', asleep.length],
      ['resume', asleep.length],
      ['resume', asleep.length],
    ])
    // Nothing is scheduled once the run has moved on.
    await vi.advanceTimersByTimeAsync(600_000)
    expect(server.requests).toHaveLength(4)
    client.dispose()
  })

  it('from a server that sends no RUN_FINISHED on a pause, a stream that ends right after the run.paused of a sleep is complete (PROTOCOL §5): paused, not retried', async () => {
    vi.useFakeTimers()
    const { asleep, woken } = sleepingRun(Date.now() + 1_000)
    const announced = asleep.slice(0, -1)
    const server = scriptedServer({
      segments: [announced],
      respond: (request) => {
        if (request.action === 'resume') server.log.push(...woken)
        return undefined
      },
    })
    const { client, errors } = clientFor(server)
    const started = client.start({}, { runId: 'run-1' })
    // Before the deadline: nothing asked again, as a drop would be.
    await vi.advanceTimersByTimeAsync(500)
    expect(server.requests).toHaveLength(1)
    expect(await started).toMatchObject({ status: 'paused', connection: 'closed', pendingSignal: null, error: null })
    // Its deadline is still followed.
    await vi.advanceTimersByTimeAsync(60_000)
    expect(client.state).toMatchObject({ status: 'finished', output: 'awake' })
    expect(server.requests.map((request) => [request.action, request.body.startIndex])).toEqual([['start', undefined], ['resume', announced.length]])
    expect(errors).toEqual([])
    client.dispose()
  })

  it('still comes back at the deadline after a signal() that never got through', async () => {
    vi.useFakeTimers()
    const pause = { signalName: 'go', deadline: new Date(Date.now() + 10_000).toISOString() }
    const waiting = [runStarted('run-1'), stateSnapshot({}), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    const timedOut = [runStarted('run-1'), runError('No signal came in time', 'timeout')]
    const server = scriptedServer({
      segments: [waiting],
      respond: (request) => {
        if (request.action === 'signal') throw new TypeError('Failed to fetch')
        return undefined
      },
    })
    const { client } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    const signalled = client.signal('go')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await signalled).toMatchObject({ status: 'paused', error: { code: 'connection_lost' } })
    // The server gives up waiting at the deadline; this client looks then.
    server.log.push(...timedOut)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(server.requests.at(-1)).toMatchObject({ action: 'resume', body: { startIndex: waiting.length } })
    expect(client.state).toMatchObject({ status: 'error', error: { code: 'timeout' }, connection: 'closed' })
    client.dispose()
  })

  it('an onError that resumes after a signal() that never got through leaves one look at the deadline, which dispose() cancels', async () => {
    vi.useFakeTimers()
    const pause = { signalName: 'go', deadline: new Date(Date.now() + 10_000).toISOString() }
    const waiting = [runStarted('run-1'), stateSnapshot({}), runPaused(pause), runInterrupted('run-1', [signalInterrupt(pause)])]
    let offline = false
    const server = scriptedServer({
      segments: [waiting],
      respond: (request) => {
        if (offline && request.action === 'signal') throw new TypeError('Failed to fetch')
        return undefined
      },
    })
    const client: WorkflowClient = new WorkflowClient({
      connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
      reconnect: fastReconnect,
      // "Try again": follow the run once the signal was lost.
      onError: (error) => void (error.code === 'connection_lost' && client.resume()),
    })
    await client.start({}, { runId: 'run-1' })
    offline = true
    const signalled = client.signal('go')
    await vi.advanceTimersByTimeAsync(1_000)
    await signalled
    expect(client.state).toMatchObject({ status: 'paused', connection: 'closed' })
    client.dispose()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives up looking after a bounded number of tries, still paused and without an error', async () => {
    vi.useFakeTimers()
    const server = scriptedServer({ segments: [sleepingRun(Date.now() + 1_000).asleep] })
    const { client, errors } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    await vi.advanceTimersByTimeAsync(3_600_000)
    const looks = server.requests.length - 1
    expect(looks).toBeGreaterThan(1)
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(server.requests.length - 1).toBe(looks)
    expect(client.state).toMatchObject({ status: 'paused', error: null })
    expect(errors).toEqual([])
    client.dispose()
  })

  it('a deadline weeks away (beyond the longest setTimeout) is looked at then, not at once', async () => {
    vi.useFakeTimers()
    const day = 24 * 3_600_000
    const deadline = Date.now() + 30 * day
    const { asleep, woken } = sleepingRun(deadline)
    const server = scriptedServer({
      segments: [asleep],
      respond: (request) => {
        if (request.action === 'resume' && Date.now() >= deadline) server.log.push(...woken)
        return undefined
      },
    })
    const { client } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    await vi.advanceTimersByTimeAsync(day)
    expect(server.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(30 * day)
    expect(client.state).toMatchObject({ status: 'finished', output: 'awake' })
    client.dispose()
  })

  it('a look that cannot reach the server leaves the run paused with connection_lost, and a later resume() picks it up', async () => {
    vi.useFakeTimers()
    const { asleep, woken } = sleepingRun(Date.now() + 1_000)
    let down = true
    const server = scriptedServer({
      segments: [asleep],
      respond: (request) => (request.action === 'resume' && down ? jsonResponse(503, { error: { code: 'unavailable', message: 'down' } }) : undefined),
    })
    const { client, errors } = clientFor(server)
    await client.start({}, { runId: 'run-1' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(client.state).toMatchObject({ status: 'paused', connection: 'closed', error: { code: 'connection_lost' } })
    expect(errors).toEqual(['connection_lost'])
    down = false
    expect(await client.resume()).toMatchObject({ status: 'paused', connection: 'closed', error: null })
    server.log.push(...woken)
    expect(await client.resume()).toMatchObject({ status: 'finished', output: 'awake', error: null })
    client.dispose()
  })

  it('a deadline that is not a date schedules nothing and breaks nothing', async () => {
    vi.useFakeTimers()
    const server = scriptedServer({ segments: [sleepingRun('next tuesday').asleep] })
    const { client, errors } = clientFor(server)
    const paused = await client.start({}, { runId: 'run-1' })
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(server.requests).toHaveLength(1)
    expect(paused).toMatchObject({ status: 'paused', connection: 'closed', error: null })
    expect(errors).toEqual([])
    client.dispose()
  })

  it('disconnect() or dispose() while waiting cancels the look', async () => {
    vi.useFakeTimers()
    for (const end of ['disconnect', 'dispose'] as const) {
      const server = scriptedServer({ segments: [sleepingRun(Date.now() + 1_000).asleep] })
      const { client } = clientFor(server)
      await client.start({}, { runId: 'run-1' })
      client[end]()
      await vi.advanceTimersByTimeAsync(600_000)
      expect(server.requests.map((request) => request.action)).toEqual(['start'])
    }
  })
})

describe('state recovery', () => {
  it('rebuilds from index 0 once when a delta does not apply', async () => {
    const segment = articleStartSegment()
    const corrupted = segment.map((event, index) => (index === 9 ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    const server = scriptedServer({
      segments: [segment],
      respond: (request, attempt) => (attempt === 0 ? streamResponse([sseBody(corrupted)]) : undefined),
    })
    const { client, errors } = clientFor(server)
    const state = await client.start({}, { runId: 'run-1' })
    expect(errors).toEqual(['state_patch_failed'])
    expect(server.requests[1]).toMatchObject({ action: 'resume', body: { startIndex: 0 } })
    expect(state).toMatchObject({ status: 'paused', state: { phase: 'review', drafts: ['Hello brave world'] }, currentText: 'Hello brave world' })
    expect(state.steps).toHaveLength(1)
  })

  it('the rebuild does not pass events the app already got to onEvent / onCustomEvent again', async () => {
    const segment = articleStartSegment()
    segment.splice(3, 0, custom('toast', { text: 'drafting' }, { timestamp: 1 }))
    const corrupted = segment.map((event, index) => (index === 10 ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    const server = scriptedServer({
      segments: [segment],
      respond: (request, attempt) => (attempt === 0 ? streamResponse([sseBody(corrupted)]) : undefined),
    })
    const indices: number[] = []
    const toasts: unknown[] = []
    const { client } = clientFor(server, { onEvent: (_, index) => indices.push(index), onCustomEvent: (name, value) => name === 'toast' && toasts.push(value) })
    const state = await client.start({}, { runId: 'run-1' })
    expect(state).toMatchObject({ status: 'paused', state: { phase: 'review', drafts: ['Hello brave world'] } })
    expect(indices).toEqual(segment.map((_, index) => index))
    expect(toasts).toEqual([{ text: 'drafting' }])
  })

  it('a malformed frame is reported once: a replay that sends it again (the rebuild from 0, a resume from before it) reports nothing more', async () => {
    const segment = articleStartSegment()
    const text = sseBody(segment)
    // Event 7 (the message's end) reaches every reader as a frame that is not JSON (a broken proxy, say), whoever asks for it.
    const withMalformed = text.replace(`data: ${JSON.stringify(segment[7])}\n`, 'data: {not json\n')
    const corrupted = withMalformed.replace(`data: ${JSON.stringify(segment[9])}\n`, `data: ${JSON.stringify(stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }))}\n`)
    const server = scriptedServer({
      segments: [segment],
      // The first answer breaks off after event 7; the resume from 7 re-sends it, then a delta that does not apply forces the replay from 0.
      respond: (request, attempt) => {
        if (attempt === 0) return streamResponse([withMalformed.slice(0, withMalformed.indexOf('id: 8\n'))], {}, { error: true })
        if (attempt === 1) return streamResponse([corrupted.slice(corrupted.indexOf('id: 7\n'))])
        return streamResponse([withMalformed])
      },
    })
    const { client, errors } = clientFor(server)
    const state = await client.start({}, { runId: 'run-1' })
    expect(server.requests.map((r) => r.body.startIndex)).toEqual([undefined, 7, 0])
    expect(errors).toEqual(['malformed_event', 'state_patch_failed'])
    expect(state).toMatchObject({ status: 'paused', currentText: 'Hello brave world' })
  })

  it('while the rebuild replays, readers keep the newer state they saw: nothing older is published', async () => {
    const segment = articleStartSegment()
    const corrupted = segment.map((event, index) => (index === 9 ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    const server = scriptedServer({
      segments: [segment],
      // The writer's text is published (its own chunk) before the bad delta arrives.
      respond: (request, attempt) => (attempt === 0 ? streamResponse([sseBody(corrupted.slice(0, 9)), sseBody(corrupted.slice(9), 9)]) : undefined),
    })
    const { client } = clientFor(server)
    const published: Array<{ index: number; steps: number; text: string }> = []
    client.subscribe((state) => published.push({ index: state.lastEventIndex, steps: state.steps.length, text: state.currentText }))
    const state = await client.start({}, { runId: 'run-1' })
    expect(state).toMatchObject({ status: 'paused', state: { phase: 'review', drafts: ['Hello brave world'] } })
    const seen = published.findIndex((entry) => entry.index === 8)
    expect(published[seen]).toEqual({ index: 8, steps: 1, text: 'Hello brave world' })
    for (const entry of published.slice(seen)) {
      expect(entry.index).toBeGreaterThanOrEqual(8)
      expect(entry).toMatchObject({ steps: 1, text: 'Hello brave world' })
    }
  })

  /**
   * A run whose delta at `badIndex` does not apply, first read in two chunks
   * (events before the bad delta, then the rest); the rebuild's replay gets
   * as far as `replayed` events, then stalls. Resolves `replaying` there.
   */
  function stalledRebuild(segment: WorkflowEvent[], badIndex: number, replayed: number) {
    const corrupted = segment.map((event, index) => (index === badIndex ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    let stalled!: () => void
    const replaying = new Promise<void>((resolve) => (stalled = resolve))
    const server = scriptedServer({
      segments: [segment],
      respond: (request, attempt) => {
        if (attempt === 0) return streamResponse([sseBody(corrupted.slice(0, badIndex)), sseBody(corrupted.slice(badIndex), badIndex)])
        if (request.action !== 'resume' || request.body.startIndex !== 0) return undefined
        let pulls = 0
        const body = new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              if (pulls++ === 0) return controller.enqueue(new TextEncoder().encode(sseBody(segment.slice(0, replayed))))
              stalled()
              return new Promise(() => {})
            },
          },
          { highWaterMark: 0 },
        )
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      },
    })
    return { server, replaying }
  }

  /** The indices of every state published from now on. */
  function publishedIndices(client: WorkflowClient): number[] {
    const indices: number[] = []
    client.subscribe((state) => indices.push(state.lastEventIndex))
    return indices
  }

  it('stop() while the rebuild replays ends the run readers saw, not the shorter one the replay has reached so far', async () => {
    // The writer's finished step is published before the bad delta; the replay reaches its first token.
    const { server, replaying } = stalledRebuild(articleStartSegment(), 9, 5)
    const { client } = clientFor(server)
    void client.start({}, { runId: 'run-1' })
    await replaying
    expect(client.state).toMatchObject({ lastEventIndex: 8, currentText: 'Hello brave world' })
    const stopped = await client.stop()
    expect(stopped).toMatchObject({ status: 'aborted', currentText: 'Hello brave world' })
    expect(stopped.steps).toEqual([expect.objectContaining({ stepName: 'writer', status: 'finished', text: 'Hello brave world' })])
    expect(client.state).toBe(stopped)
  })

  it('disconnect() or reset() while the rebuild replays never publishes the partial replay', async () => {
    for (const close of ['disconnect', 'reset'] as const) {
      const { server, replaying } = stalledRebuild(articleStartSegment(), 9, 5)
      const { client } = clientFor(server)
      void client.start({}, { runId: 'run-1' })
      await replaying
      const seen = client.state
      const indices = publishedIndices(client)
      client[close]()
      if (close === 'reset') {
        expect(indices).toEqual([-1])
        continue
      }
      expect(indices.every((index) => index === 8)).toBe(true)
      expect(client.state).toMatchObject({ lastEventIndex: 8, connection: 'closed', steps: seen.steps, currentText: 'Hello brave world' })
      // The run goes on; resume() follows it from the cursor readers saw.
      const resumed = await client.resume()
      expect(server.requests.at(-1)).toMatchObject({ action: 'resume', body: { startIndex: 9 } })
      expect(resumed).toMatchObject({ status: 'paused', pendingApproval: { approvalId: 'a1' } })
    }
  })

  it('approve() and signal() while the rebuild replays act on the pause readers see, named from their cursor', async () => {
    // The approval is published; a delta after it fails, and the replay has not reached it yet.
    const segment = articleStartSegment()
    segment.splice(11, 0, stateDelta([{ op: 'replace', path: '/phase', value: 'waiting' }], { timestamp: 1 }))
    const approving = stalledRebuild(segment, 11, 5)
    const { client } = clientFor(approving.server)
    void client.start({}, { runId: 'run-1' })
    await approving.replaying
    expect(client.state).toMatchObject({ lastEventIndex: 10, pendingApproval: { approvalId: 'a1' } })
    void client.approve(true)
    await vi.waitFor(() => expect(approving.server.requests.find((request) => request.action === 'approve')).toMatchObject({ body: { approval: { approvalId: 'a1', approved: true } } }))

    const signalling = stalledRebuild(segment, 11, 5)
    const other = clientFor(signalling.server).client
    void other.start({}, { runId: 'run-1' })
    await signalling.replaying
    void other.signal('nudge')
    await vi.waitFor(() => expect(signalling.server.requests.find((request) => request.action === 'signal')).toMatchObject({ body: { signal: { signalId: 'nudge@10' } } }))
  })

  it('while the rebuild replays, readers still see how the connection fares: a replay that drops reads reconnecting, not open', async () => {
    const segment = articleStartSegment()
    const corrupted = segment.map((event, index) => (index === 9 ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    const shown: string[] = []
    const server = scriptedServer({
      segments: [segment],
      respond: (request, attempt) => {
        if (attempt === 0) return streamResponse([sseBody(corrupted.slice(0, 9)), sseBody(corrupted.slice(9), 9)])
        // The replay drops after the writer's first token; the client comes back from the cursor.
        if (attempt === 1) return streamResponse([sseBody(segment.slice(0, 5))], {}, { error: true })
        shown.push(client.state.connection)
        return undefined
      },
    })
    const { client } = clientFor(server)
    const state = await client.start({}, { runId: 'run-1' })
    expect(server.requests.map((request) => request.body.startIndex)).toEqual([undefined, 0, 5])
    expect(shown).toEqual(['reconnecting'])
    expect(state).toMatchObject({ status: 'paused', connection: 'closed', state: { phase: 'review', drafts: ['Hello brave world'] } })
  })

  it('stop() from onError on state_patch_failed ends the run readers saw as aborted: the rebuild does not undo it', async () => {
    const segment = articleStartSegment().map((event, index) => (index === 9 ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    const server = scriptedServer({ segments: [segment] })
    const client: WorkflowClient = new WorkflowClient({
      connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }),
      reconnect: fastReconnect,
      onError: (error) => void (error.code === 'state_patch_failed' && client.stop()),
    })
    const started = await client.start({}, { runId: 'run-1' })
    await vi.waitFor(() => expect(server.requests.map((r) => r.action)).toEqual(['start', 'abort']))
    expect(started).toMatchObject({ status: 'aborted', connection: 'closed', runId: 'run-1', error: { code: 'aborted' } })
    expect(started.state).toEqual({ phase: 'start', drafts: [] })
    expect(client.state).toBe(started)
    client.disconnect()
    expect(client.state).toMatchObject({ status: 'aborted', connection: 'closed' })
  })

  it('a second failing delta in the same run is an error, not a silent divergence', async () => {
    const segment = articleStartSegment().map((event, index) => (index === 9 ? stateDelta([{ op: 'remove', path: '/nope' }], { timestamp: 1 }) : event))
    const server = scriptedServer({ segments: [segment] })
    const { client, errors } = clientFor(server)
    const state = await client.start({}, { runId: 'run-1' })
    expect(errors).toEqual(['state_patch_failed', 'state_patch_failed'])
    expect(state).toMatchObject({ status: 'error', error: { code: 'state_patch_failed' } })
    expect(state.state).toEqual({ phase: 'start', drafts: [] })
  })
})

describe('publication', () => {
  it('publishes one state for a network chunk that carries many events', async () => {
    const segment = articleStartSegment()
    const server = scriptedServer({ segments: [segment], respond: () => streamResponse([sseBody(segment)]) })
    const { client } = clientFor(server)
    const published: number[] = []
    client.subscribe((state) => published.push(state.lastEventIndex))
    await client.start({})
    // start() itself, the open connection, one chunk, the closed connection.
    expect(published.filter((index) => index >= 0)).toEqual([segment.length - 1, segment.length - 1])
  })

  it('lowering throttleMs with setOptions() shortens a trailing publication already waiting on the longer one', async () => {
    const segment = articleStartSegment()
    const { server, push } = pushedStream()
    const received: number[] = []
    const { client } = clientFor(server, { throttleMs: 60_000, onEvent: (_, index) => received.push(index) })
    void client.start({})
    await vi.waitFor(() => expect(server.requests).toHaveLength(1))
    // start() published 'running' a moment ago: the stream's first events wait for the throttle's trailing edge, 60 s on.
    push(segment.slice(0, 5), 0)
    await vi.waitFor(() => expect(received).toContain(4))
    expect(client.state.lastEventIndex).toBe(-1)
    client.setOptions({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }), reconnect: fastReconnect, throttleMs: 0 })
    await vi.waitFor(() => expect(client.state.lastEventIndex).toBe(4))
    client.dispose()
  })

  it('throttleMs coalesces chunks but the latest state always lands', async () => {
    vi.useFakeTimers()
    const segment = articleStartSegment()
    const deltas = Array.from({ length: 200 }, (_, i) => ({ type: 'TEXT_MESSAGE_CONTENT' as const, messageId: 'm1', delta: `${i} `, timestamp: 1 }))
    const events = [...segment.slice(0, 4), ...deltas, ...segment.slice(7)]
    const text = sseBody(events)
    const frames = text.split(/(?<=\n\n)/)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        if (sent < frames.length) controller.enqueue(new TextEncoder().encode(frames[sent++]))
        else controller.close()
      },
    })
    const server = scriptedServer({ segments: [], respond: () => new Response(body) })
    const { client } = clientFor(server, { throttleMs: 50 })
    let publications = 0
    client.subscribe(() => publications++)
    const done = client.start({})
    await vi.advanceTimersByTimeAsync(1000)
    const state = await done
    expect(state.currentText).toBe(deltas.map((d) => d.delta).join(''))
    expect(client.state.currentText).toBe(state.currentText)
    expect(publications).toBeLessThan(frames.length / 4)
  })

  it('a wall clock set back (an NTP correction) holds a throttled publication no longer than throttleMs', async () => {
    vi.useFakeTimers()
    const segment = articleStartSegment()
    const { server, push } = pushedStream()
    const { client } = clientFor(server, { throttleMs: 100 })
    void client.start({})
    await vi.advanceTimersByTimeAsync(0)
    push(segment.slice(0, 3), 0)
    await vi.advanceTimersByTimeAsync(200)
    expect(client.state.lastEventIndex).toBe(2)
    vi.setSystemTime(Date.now() - 60 * 60 * 1000)
    push(segment.slice(3, 5), 3)
    await vi.advanceTimersByTimeAsync(200)
    expect(client.state.lastEventIndex).toBe(4)
    client.dispose()
  })
})
