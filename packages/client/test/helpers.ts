import {
  approvalInterrupt,
  approvalRequested,
  runInterrupted,
  runStarted,
  runSucceeded,
  stateDelta,
  stateSnapshot,
  stepFinished,
  stepStarted,
  textMessageContent,
  textMessageEnd,
  textMessageStart,
  type WorkflowEvent,
} from '@stepstream/protocol'
import type { ConnectionRequest } from '@stepstream/client'

export const encoder = new TextEncoder()

/** One SSE frame as the server writes it. */
export function frame(event: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(event)}\n\n`
}

export function sseBody(events: readonly WorkflowEvent[], firstIndex = 0): string {
  return events.map((event, offset) => frame(event, firstIndex + offset)).join('')
}

/** A Response whose body delivers exactly these byte chunks, in order. */
export function streamResponse(chunks: ReadonlyArray<string | Uint8Array>, init: ResponseInit = {}, options: { hang?: boolean; error?: boolean } = {}): Response {
  let position = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (position < chunks.length) {
        const chunk = chunks[position++]!
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
        return
      }
      if (options.error) controller.error(new TypeError('network error'))
      else if (!options.hang) controller.close()
      // hang: never close, like a stalled TCP connection
      return new Promise(() => {})
    },
  })
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' }, ...init })
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

/** A request nobody answers: like fetch, it is cancelled (rejects) when its signal aborts. */
export function neverAnswered(request: ConnectionRequest): Promise<Response> {
  return new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)))
}

/** A connection that records each request's action, accepts an abort (202) and never answers anything else. */
export function abortOnlyConnection(sent: string[]) {
  return {
    send: (request: ConnectionRequest) => {
      sent.push(request.action)
      return request.action === 'abort' ? Promise.resolve(jsonResponse(202, { runId: 'run-1', status: 'aborted' })) : neverAnswered(request)
    },
  }
}

/** The article workflow's first segment: writer streams, approval pauses. */
export function articleStartSegment(runId = 'run-1'): WorkflowEvent[] {
  const t = { timestamp: 1000 }
  return [
    runStarted(runId, t),
    stateSnapshot({ phase: 'start', drafts: [] }, t),
    stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }, t),
    textMessageStart('m1', 's1', t),
    textMessageContent('m1', 'Hello ', t),
    textMessageContent('m1', 'brave ', t),
    textMessageContent('m1', 'world', t),
    textMessageEnd('m1', t),
    stepFinished({ stepName: 'writer', stepId: 's1', result: { draft: 'Hello brave world' } }, { timestamp: 2000 }),
    stateDelta([{ op: 'replace', path: '/phase', value: 'review' }, { op: 'add', path: '/drafts/-', value: 'Hello brave world' }], t),
    approvalRequested({ approvalId: 'a1', title: 'Publish?', description: 'Check the draft' }, t),
    runInterrupted(runId, [approvalInterrupt({ approvalId: 'a1', title: 'Publish?', description: 'Check the draft' })], t),
  ]
}

export function articleApproveSegment(runId = 'run-1'): WorkflowEvent[] {
  const t = { timestamp: 3000 }
  return [
    runStarted(runId, t),
    stateSnapshot({ phase: 'review', drafts: ['Hello brave world'] }, t),
    stepStarted({ stepName: 'publisher', stepId: 's2', stepType: 'agent' }, t),
    textMessageStart('m2', 's2', t),
    textMessageContent('m2', 'Published', t),
    textMessageEnd('m2', t),
    stepFinished({ stepName: 'publisher', stepId: 's2', result: { url: '/a/1' } }, t),
    stateDelta([{ op: 'replace', path: '/phase', value: 'done' }], t),
    runSucceeded(runId, { ok: true, article: 'Hello brave world' }, t),
  ]
}

export interface RecordedRequest {
  action: ConnectionRequest['action']
  body: Record<string, unknown>
}

/**
 * A scripted workflow server over one run's event log, speaking the wire
 * protocol through a fetch-style function: start serves the first segment,
 * approve appends the second, resume serves from `startIndex`. `cut` decides,
 * per request, how many bytes of the answer get through before the
 * connection drops.
 */
export function scriptedServer(options: {
  segments: WorkflowEvent[][]
  cut?: (request: RecordedRequest, attempt: number) => number | undefined
  respond?: (request: RecordedRequest, attempt: number) => Response | undefined
  chunkSize?: number
}) {
  const log: WorkflowEvent[] = []
  const requests: RecordedRequest[] = []
  let segment = 0
  const appendSegment = () => {
    if (segment < options.segments.length) log.push(...options.segments[segment++]!)
  }
  // The run's first segment exists on the server from the start, so a
  // resume after a scripted first answer still finds it.
  appendSegment()

  async function fetchClient(url: string, init: RequestInit): Promise<Response> {
    const method = init.method ?? 'GET'
    let request: RecordedRequest
    if (method === 'GET') {
      const params = new URL(url, 'http://localhost').searchParams
      request = { action: 'resume', body: { runId: params.get('runId'), startIndex: Number(params.get('startIndex')) } }
    } else {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>
      const action = 'approval' in body ? 'approve' : 'signal' in body ? 'signal' : 'abort' in body ? 'abort' : 'startIndex' in body ? 'resume' : 'start'
      request = { action, body }
    }
    const attempt = requests.push(request) - 1
    const custom = options.respond?.(request, attempt)
    if (custom) return custom
    if (request.action === 'abort') return jsonResponse(202, { runId: request.body.runId, status: 'aborted' })
    let from = 0
    if (request.action === 'start') {
      from = 0
    } else if (request.action === 'approve' || request.action === 'signal') {
      from = log.length
      appendSegment()
    } else {
      const startIndex = Number(request.body.startIndex)
      from = startIndex < 0 ? Math.max(0, log.length + startIndex) : startIndex
    }
    let text = sseBody(log.slice(from), from)
    const limit = options.cut?.(request, attempt)
    const dropped = limit !== undefined && limit < encoder.encode(text).length
    if (dropped) text = new TextDecoder().decode(encoder.encode(text).slice(0, limit))
    const bytes = encoder.encode(text)
    const size = options.chunkSize ?? 64
    const chunks: Uint8Array[] = []
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size))
    return streamResponse(chunks, { headers: { 'content-type': 'text/event-stream', 'x-workflow-run-id': String(log[0] && 'runId' in log[0] ? log[0].runId : ''), 'x-workflow-stream-tail-index': String(log.length - 1) } }, { error: dropped })
  }

  return { fetchClient, requests, log }
}

export const fastReconnect = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 }
