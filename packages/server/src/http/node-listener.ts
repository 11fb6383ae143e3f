import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { WorkflowHandler } from './create-workflow-handler.js'

/** A `node:http` request listener, as `createServer(listener)` takes. */
export type NodeListener = (request: IncomingMessage, response: ServerResponse) => void

/**
 * Adapts a fetch-style handler to `node:http`. When the client goes away the
 * response body is cancelled, which releases the log subscription; the run
 * itself is untouched.
 */
export function toNodeListener(handler: WorkflowHandler): NodeListener {
  return (incoming, outgoing) => {
    void serve(handler, incoming, outgoing)
  }
}

async function serve(handler: WorkflowHandler, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const disconnected = new AbortController()
  outgoing.once('close', () => disconnected.abort())
  let request: Request
  try {
    request = toRequest(incoming, disconnected.signal)
  } catch {
    // `new Request` refuses a method fetch forbids (TRACE, TRACK) and a Host
    // that makes no URL: the client's mistake, refused as the handler refuses
    // a method it does not serve, not a 500 that reads as our failure.
    answerError(incoming, outgoing, 400, 'invalid_request', 'Request cannot be served: unsupported method or malformed Host')
    return
  }
  try {
    const response = await handler(request)
    outgoing.statusCode = response.status
    copyHeaders(response.headers, outgoing)
    // A refusal can come before the request body was read (413, 415). That
    // body was handed to a web stream which stops reading at its high-water
    // mark, and Node does not drain a body someone is consuming: the socket
    // would stall and the next request on it hang until the keep-alive timeout
    // resets it. Such a connection is closed after this response instead.
    if (!incoming.complete) outgoing.setHeader('connection', 'close')
    if (!response.body) {
      outgoing.end()
      return
    }
    outgoing.flushHeaders()
    await pipeBody(response.body, outgoing, disconnected.signal)
  } catch {
    // Handler errors are already JSON responses; this is the socket failing
    // mid-stream, or a handler that threw (a host's own wrapper, say).
    if (!outgoing.headersSent) answerError(incoming, outgoing, 500, 'internal', 'Internal server error')
    else outgoing.destroy()
  }
}

/**
 * Set-Cookie is the one header that cannot be joined into one line (an
 * Expires date has a comma of its own), and a Headers object hands each
 * cookie over as a separate entry under the same name: copied one by one,
 * each would replace the one before. They go out as one line each instead.
 */
function copyHeaders(headers: Headers, outgoing: ServerResponse): void {
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing.setHeader(name, value)
  })
  const cookies = headers.getSetCookie()
  if (cookies.length > 0) outgoing.setHeader('set-cookie', cookies)
}

function answerError(incoming: IncomingMessage, outgoing: ServerResponse, status: number, code: string, message: string): void {
  outgoing.statusCode = status
  outgoing.setHeader('content-type', 'application/json; charset=utf-8')
  // The request body may not have been read: as for a refusal, the connection must not be reused.
  if (!incoming.complete) outgoing.setHeader('connection', 'close')
  outgoing.end(JSON.stringify({ error: { code, message } }))
}

function toRequest(incoming: IncomingMessage, signal: AbortSignal): Request {
  const host = incoming.headers.host ?? 'localhost'
  const url = new URL(incoming.url ?? '/', `http://${host}`)
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const method = incoming.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal }
  if (hasBody) {
    init.body = Readable.toWeb(incoming) as ReadableStream<Uint8Array>
    // Required by undici for streamed request bodies.
    init.duplex = 'half'
  }
  return new Request(url, init)
}

async function pipeBody(body: ReadableStream<Uint8Array>, outgoing: ServerResponse, disconnected: AbortSignal): Promise<void> {
  const reader = body.getReader()
  const cancel = () => void reader.cancel().catch(() => {})
  // The client may have gone while the handler was answering: its signal has
  // aborted already and fires no more 'abort', so the body is cancelled now.
  if (disconnected.aborted) cancel()
  else disconnected.addEventListener('abort', cancel, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!outgoing.write(value)) await waitForDrain(outgoing, disconnected)
    }
    outgoing.end()
  } finally {
    disconnected.removeEventListener('abort', cancel)
    reader.releaseLock()
  }
}

const DRAIN_OR_GONE = ['drain', 'close', 'error'] as const

/**
 * Resolves once the client has read enough to take more, or is gone: a
 * socket that closed or failed never drains, and one that went before this
 * write has fired its 'close' (and aborted the signal) already.
 */
function waitForDrain(outgoing: ServerResponse, disconnected: AbortSignal): Promise<void> {
  if (disconnected.aborted || outgoing.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      for (const event of DRAIN_OR_GONE) outgoing.off(event, done)
      disconnected.removeEventListener('abort', done)
      resolve()
    }
    for (const event of DRAIN_OR_GONE) outgoing.once(event, done)
    disconnected.addEventListener('abort', done, { once: true })
  })
}
