export type WorkflowAction = 'start' | 'approve' | 'signal' | 'resume' | 'abort'

type Handler = (request: Request) => Promise<Response>

export interface RecordedRequest {
  action: WorkflowAction
  body: Record<string, unknown> | undefined
  /** The request's own signal: aborted when the client aborts the fetch. */
  signal: AbortSignal
  /** The response body was read to its end or cancelled. */
  ended: boolean
}

function actionOf(method: string, body: Record<string, unknown> | undefined): WorkflowAction {
  if (method === 'GET' || !body) return 'resume'
  if (body.abort === true) return 'abort'
  if ('approval' in body) return 'approve'
  if ('signal' in body) return 'signal'
  if ('input' in body) return 'start'
  return 'resume'
}

/**
 * Wraps a server handler to record every request and whether its stream is
 * still open, so tests can count requests and live connections without
 * mocking anything of ours.
 */
export function recordingHandler(handler: Handler) {
  const requests: RecordedRequest[] = []

  async function recorded(request: Request): Promise<Response> {
    const body = request.method === 'POST' ? ((await request.clone().json()) as Record<string, unknown>) : undefined
    const entry: RecordedRequest = { action: actionOf(request.method, body), body, signal: request.signal, ended: false }
    requests.push(entry)
    const response = await handler(request)
    if (!response.body) {
      entry.ended = true
      return response
    }
    const reader = response.body.getReader()
    const body$ = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) {
          entry.ended = true
          controller.close()
        } else controller.enqueue(value)
      },
      cancel(reason) {
        entry.ended = true
        return reader.cancel(reason)
      },
    })
    return new Response(body$, { status: response.status, headers: response.headers })
  }

  return {
    handler: recorded,
    requests,
    of: (action: WorkflowAction) => requests.filter((request) => request.action === action),
    /** Streams a client is still reading. */
    live: () => requests.filter((request) => !request.ended && !request.signal.aborted),
  }
}
