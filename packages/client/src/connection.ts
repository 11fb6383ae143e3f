import type { WorkflowAction } from '@stepstream/protocol'
import { WorkflowError } from './errors.js'

/** One request a client makes: the protocol action and its JSON body. */
export interface ConnectionRequest {
  action: WorkflowAction
  body: Record<string, unknown>
  signal: AbortSignal
}

/**
 * How a client reaches a workflow server. `send` resolves with the raw
 * response (an SSE body, or a JSON error); the client owns parsing, retries
 * and cursors, so a connection stays a thin transport.
 */
export interface WorkflowConnection {
  send(request: ConnectionRequest): Promise<Response>
}

type MaybePromise<T> = T | Promise<T>
type HeadersValue = Record<string, string> | Headers

/** What every connection may add to its requests. */
export interface ConnectionOptions {
  /** Extra headers, or a function returning them per request (e.g. a fresh token). */
  headers?: HeadersValue | (() => MaybePromise<HeadersValue>)
  /** Extra body fields sent with every request, e.g. `{ workflow: 'article' }`. */
  body?: Record<string, unknown> | (() => MaybePromise<Record<string, unknown>>)
  // RequestInit's, not the DOM-only RequestCredentials: @types/node declares
  // RequestInit too, so a Node app without the DOM lib can use these types.
  /** `fetch`'s `credentials`, e.g. `'include'` for cookies on a cross-origin API. */
  credentials?: RequestInit['credentials']
}

/** Options of `fetchWorkflowEvents`. */
export interface FetchConnectionOptions extends ConnectionOptions {
  /** A fetch-compatible function; defaults to the global `fetch`. */
  fetchClient?: (input: string, init: RequestInit) => Promise<Response>
}

async function resolve<T>(value: T | (() => MaybePromise<T>) | undefined): Promise<T | undefined> {
  return typeof value === 'function' ? await (value as () => MaybePromise<T>)() : value
}

/** Query parameters carry only primitives; structured body fields need POST. */
function appendPrimitives(params: URLSearchParams, body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === 'runId' || key === 'startIndex') continue
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.set(key, String(value))
  }
}

/**
 * Builds the HTTP request for an action (PROTOCOL §4): POST with a JSON body
 * for start / approve / signal / abort, GET with `runId`, `startIndex` and
 * `Last-Event-ID` for resume.
 */
async function buildRequest(url: string, request: ConnectionRequest, options: ConnectionOptions): Promise<{ url: string; init: RequestInit }> {
  const headers = new Headers((await resolve(options.headers)) ?? {})
  const body = { ...(await resolve(options.body)), ...request.body }
  const init: RequestInit = { signal: request.signal, headers }
  if (options.credentials) init.credentials = options.credentials
  if (request.action === 'resume') {
    const startIndex = Number(body.startIndex)
    const params = new URLSearchParams({ runId: String(body.runId), startIndex: String(startIndex) })
    appendPrimitives(params, body)
    if (startIndex > 0) headers.set('Last-Event-ID', String(startIndex - 1))
    headers.set('Accept', 'text/event-stream')
    return { url: `${url}${url.includes('?') ? '&' : '?'}${params}`, init: { ...init, method: 'GET' } }
  }
  headers.set('Content-Type', 'application/json')
  headers.set('Accept', request.action === 'abort' ? 'application/json' : 'text/event-stream')
  return { url, init: { ...init, method: 'POST', body: JSON.stringify(body) } }
}

/**
 * A relative URL outside a page (Node, a worker without one) makes fetch
 * throw a TypeError like a network error's, which would be retried for the
 * whole budget: it is a programmer's mistake, final at once. (A custom
 * fetchClient may resolve URLs its own way.)
 */
function assertResolvable(url: string): void {
  try {
    new URL(url, (globalThis as { location?: { href: string } }).location?.href)
  } catch {
    throw new WorkflowError('invalid_url', `Cannot resolve "${url}": outside a page, fetchWorkflowEvents needs an absolute URL`)
  }
}

/** The HTTP connection: talks to a workflow endpoint with `fetch`. */
export function fetchWorkflowEvents(url: string, options: FetchConnectionOptions = {}): WorkflowConnection {
  return {
    async send(request) {
      const built = await buildRequest(url, request, options)
      if (!options.fetchClient) assertResolvable(built.url)
      const fetchClient = options.fetchClient ?? globalThis.fetch.bind(globalThis)
      return fetchClient(built.url, built.init)
    },
  }
}

/**
 * An in-process connection over a fetch-style handler (such as the one
 * `createWorkflowHandler` returns): no network, same bytes. For tests, SSR
 * and playgrounds.
 */
export function localWorkflowEvents(
  handler: (request: Request) => Promise<Response>,
  options: ConnectionOptions & { url?: string } = {},
): WorkflowConnection {
  // A path (the route the handler serves, as an app names it) is on localhost: a Request needs an absolute URL.
  const url = new URL(options.url ?? '/api/workflow', 'http://localhost').href
  return {
    async send(request) {
      const built = await buildRequest(url, request, options)
      return handler(new Request(new URL(built.url, url), built.init))
    },
  }
}

/** Turns an HTTP error answer (a protocol JSON body, or anything else) into a WorkflowError. */
export async function errorFromResponse(response: Response): Promise<WorkflowError> {
  let code = 'http_error'
  let message = `HTTP ${response.status}`
  try {
    const { error } = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
    if (typeof error?.code === 'string') code = error.code
    if (typeof error?.message === 'string') message = error.message
  } catch {
    // Not a JSON error body; the status says enough.
  }
  return new WorkflowError(code, message, { status: response.status })
}

/**
 * A 2xx answer that is not an event stream: a misrouted URL answered by a dev
 * server's index.html, or an endpoint that answers JSON. Read as SSE it holds
 * no event, so it would be retried until connection_lost, and re-sending
 * cannot help. A response without a content type (a custom transport's) is
 * read as SSE.
 */
export function notAnEventStream(response: Response): WorkflowError | undefined {
  const type = response.headers.get('content-type')
  if (!type || /^\s*text\/event-stream\s*(;|$)/i.test(type)) return undefined
  void response.body?.cancel().catch(() => {})
  return new WorkflowError('http_error', `Expected an event stream, got HTTP ${response.status} ${type}`, { status: response.status })
}

/** The wait an HTTP `Retry-After` asks for (RFC 9110: seconds, or an HTTP date), in ms from now. */
export function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim()
  if (!value) return undefined
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now()
  return Number.isNaN(ms) ? undefined : Math.max(0, ms)
}

/** 4xx answers, oversized frames and unusable URLs are final: re-sending the same request cannot succeed. */
export function isRetryable(error: WorkflowError): boolean {
  const { status } = error
  if (error.code === 'frame_too_large' || error.code === 'invalid_url') return false
  return status === undefined || status >= 500 || status === 408 || status === 429
}

/**
 * The answer to a request, or the abort reason once its signal aborts: a
 * connection that ignores the signal and never answers must not hold the
 * client in 'connecting' past the idle watchdog. An answer that comes after
 * the abort is released, since nobody will read it.
 */
export function answerOf(sending: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    sending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort)
        if (signal.aborted) void response.body?.cancel().catch(() => {})
        else resolve(response)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
