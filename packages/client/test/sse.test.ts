import { describe, expect, it, vi } from 'vitest'
import { fetchWorkflowEvents, localWorkflowEvents, WorkflowClient, type WorkflowClientState } from '@stepstream/client'
import { articleStartSegment, encoder, frame, sseBody, streamResponse } from './helpers.js'

/** Runs `start` against a server that answers with exactly these chunks. */
async function runOver(chunks: ReadonlyArray<string | Uint8Array>): Promise<{ state: WorkflowClientState; errors: string[] }> {
  const errors: string[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('/api/workflow', { fetchClient: async () => streamResponse(chunks) }),
    reconnect: false,
    onError: (error) => errors.push(error.code),
  })
  const state = await client.start({ topic: 't' }, { runId: 'run-1' })
  client.dispose()
  return { state, errors }
}

/** Runs `start` with retries allowed against a server that always gives this answer; counts the requests. */
async function startAgainst(answer: () => Response): Promise<{ state: WorkflowClientState; errors: string[]; requests: number }> {
  let requests = 0
  const errors: string[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('/api/workflow', {
      fetchClient: async () => {
        requests++
        return answer()
      },
    }),
    reconnect: { baseDelayMs: 1, maxDelayMs: 1 },
    onError: (error) => errors.push(error.code),
  })
  const state = await client.start({ topic: 't' }, { runId: 'run-1' })
  client.dispose()
  return { state, errors, requests }
}

const segment = articleStartSegment()
const whole = sseBody(segment)

function expectPausedArticle(state: WorkflowClientState) {
  expect(state.status).toBe('paused')
  expect(state.currentText).toBe('Hello brave world')
  expect(state.state).toEqual({ phase: 'review', drafts: ['Hello brave world'] })
  expect(state.lastEventIndex).toBe(segment.length - 1)
  expect(state.pendingApproval?.approvalId).toBe('a1')
}

describe('SSE framing, through fetchWorkflowEvents', () => {
  it('reads a plain stream', async () => {
    expectPausedArticle((await runOver([whole])).state)
  })

  it('reads CRLF line ends', async () => {
    expectPausedArticle((await runOver([whole.replaceAll('\n', '\r\n')])).state)
  })

  it('reads lone CR line ends', async () => {
    expectPausedArticle((await runOver([whole.replaceAll('\n', '\r')])).state)
  })

  it('reads data: without the space', async () => {
    expectPausedArticle((await runOver([whole.replaceAll('data: ', 'data:').replaceAll('id: ', 'id:')])).state)
  })

  it('joins multi-line data with newlines before parsing', async () => {
    const body = segment
      .map((event, index) => `id: ${index}\n` + JSON.stringify(event, null, 1).split('\n').map((line) => `data: ${line}`).join('\n') + '\n\n')
      .join('')
    expectPausedArticle((await runOver([body])).state)
  })

  it('skips comments and heartbeats, honours retry: without failing', async () => {
    const body = ': ping\n\nretry: 1000\n\n' + segment.map((event, index) => `: keep-alive\n${frame(event, index)}`).join('')
    expectPausedArticle((await runOver([body])).state)
  })

  it('strips a leading BOM', async () => {
    expectPausedArticle((await runOver([new Uint8Array([0xef, 0xbb, 0xbf]), whole])).state)
  })

  it('survives bytes split anywhere, including inside a UTF-8 character', async () => {
    const events = [...segment]
    events.splice(5, 1, { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'brave 🌍 ', timestamp: 1 })
    const bytes = encoder.encode(sseBody(events))
    const chunks = Array.from(bytes, (byte) => new Uint8Array([byte]))
    const { state } = await runOver(chunks)
    expect(state.currentText).toBe('Hello brave 🌍 world')
    expect(state.status).toBe('paused')
  })

  it('drops a trailing frame without its blank line', async () => {
    const body = sseBody(segment.slice(0, 3)) + `id: 3\ndata: ${JSON.stringify(segment[3])}\n`
    const { state } = await runOver([body])
    expect(state.lastEventIndex).toBe(2)
  })

  it('reports malformed JSON in one frame and keeps going', async () => {
    const body = frame(segment[0], 0) + 'id: 1\ndata: {not json\n\n' + sseBody(segment.slice(1), 1)
    const { state, errors } = await runOver([body])
    expect(errors).toContain('malformed_event')
    expectPausedArticle(state)
  })

  it('reports a frame without a type as malformed', async () => {
    const body = frame(segment[0], 0) + frame({ hello: 'world' }, 1) + sseBody(segment.slice(1), 1)
    const { errors, state } = await runOver([body])
    expect(errors).toEqual(['malformed_event'])
    expectPausedArticle(state)
  })

  it('counts events when the stream has no id: lines (@ag-ui/encoder frames)', async () => {
    const body = segment.map((event) => frame(event)).join('')
    const { state } = await runOver([body])
    expectPausedArticle(state)
  })

  it('fails at once, without retrying, on a frame that never ends (bounded memory)', async () => {
    const endlessLine = 'x'.repeat(1024 * 1024)
    const chunks = [sseBody(segment.slice(0, 3)), 'data: ', ...Array.from({ length: 40 }, () => endlessLine)]
    const { state, errors, requests } = await startAgainst(() => streamResponse(chunks))
    expect(requests).toBe(1)
    expect(errors).toEqual(['frame_too_large'])
    expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'frame_too_large' }, lastEventIndex: 2 })
  })

  it.each([
    ['text/html; charset=utf-8', '<!doctype html><html><body>app</body></html>'],
    ['application/json', '{"ok":true}'],
  ])('a 200 that is no event stream (%s: a dev server\'s index.html, a JSON body) fails at once with a clear error, without retrying', async (contentType, body) => {
    const { state, errors, requests } = await startAgainst(() => streamResponse([body], { headers: { 'content-type': contentType } }))
    expect(requests).toBe(1)
    expect(errors).toEqual(['http_error'])
    expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'http_error' } })
    expect(state.error?.message).toContain(contentType.split(';')[0])
  })

  it('a custom transport\'s Response without a content type is read as SSE', async () => {
    const client = new WorkflowClient({
      connection: { send: async () => new Response(streamResponse([whole]).body) },
      reconnect: false,
    })
    expectPausedArticle(await client.start({ topic: 't' }, { runId: 'run-1' }))
  })

  it('ignores unknown event types and fields', async () => {
    const extra = { type: 'SOMETHING_NEW', whatever: 1 }
    const body = frame(segment[0], 0) + frame(extra, 1) + sseBody(segment.slice(1), 2)
    const { state, errors } = await runOver([body])
    expect(errors).toEqual([])
    expect(state.status).toBe('paused')
  })
})

describe('fetchWorkflowEvents requests', () => {
  it('a relative URL with nothing to resolve it against (Node, no page) fails at once as invalid_url, never retried', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    const errors: string[] = []
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow'), onError: (error) => errors.push(error.code) })
    const state = await client.start({})
    expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'invalid_url' } })
    expect(state.error!.message).toContain('/api/workflow')
    expect(errors).toEqual(['invalid_url'])
    expect(fetch).not.toHaveBeenCalled()
    fetch.mockRestore()
  })

  it('POSTs actions with JSON and merged body; GETs resume with startIndex and Last-Event-ID', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = []
    const connection = fetchWorkflowEvents('/api/workflow', {
      headers: () => ({ authorization: 'Bearer t' }),
      body: { workflow: 'article' },
      credentials: 'include',
      fetchClient: async (url, init) => {
        seen.push({ url, init })
        return streamResponse([])
      },
    })
    const signal = new AbortController().signal
    await connection.send({ action: 'start', body: { input: { a: 1 }, runId: 'r' }, signal })
    await connection.send({ action: 'resume', body: { runId: 'r', startIndex: 7 }, signal })
    const [post, get] = seen
    expect(post!.init.method).toBe('POST')
    expect(JSON.parse(String(post!.init.body))).toEqual({ workflow: 'article', input: { a: 1 }, runId: 'r' })
    expect(new Headers(post!.init.headers).get('content-type')).toBe('application/json')
    expect(new Headers(post!.init.headers).get('authorization')).toBe('Bearer t')
    expect(post!.init.credentials).toBe('include')
    expect(get!.init.method).toBe('GET')
    expect(get!.url).toBe('/api/workflow?runId=r&startIndex=7&workflow=article')
    expect(new Headers(get!.init.headers).get('last-event-id')).toBe('6')
  })
})

describe('localWorkflowEvents requests', () => {
  it('takes the url of the route it stands for as a path, as an app names it, resolved as on localhost', async () => {
    const seen: string[] = []
    const handler = async (request: Request) => {
      seen.push(`${request.method} ${request.url}`)
      return streamResponse([whole])
    }
    const client = new WorkflowClient({ connection: localWorkflowEvents(handler, { url: '/api/workflow' }), reconnect: false })
    expectPausedArticle(await client.start({}, { runId: 'run-1' }))
    expect(await client.resume()).toMatchObject({ status: 'paused', connection: 'closed' })
    expect(seen).toEqual(['POST http://localhost/api/workflow', `GET http://localhost/api/workflow?runId=run-1&startIndex=${segment.length}`])
  })
})
