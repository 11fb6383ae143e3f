import type { WorkflowAction } from '@stepstream/protocol'
import { DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_BODY_BYTES, HEADERS } from '@stepstream/protocol'
import type { Workflow } from '../authoring/types.js'
import { LogReader, type ReadPlan } from '../engine/log-reader.js'
import { errorWording, type ErrorHandlingOptions } from '../error-message.js'
import { WorkflowRequestError } from '../errors.js'
import type { ActionRequest } from '../requests/action.js'
import { buildRegistry, dispatch, onlyWorkflowName, type WorkflowRegistry } from '../requests/dispatch.js'
import { parseActionBody } from '../requests/parse-action.js'
import { inMemoryRunStore } from '../store/in-memory-run-store.js'
import type { RunStore } from '../store/run-store.js'
import { errorResponse, jsonResponse } from './json-response.js'
import { parseResumeQuery } from './parse-resume-query.js'
import { readJsonBody } from './read-json-body.js'
import { sseResponse } from './sse-response.js'

export interface AuthorizeContext {
  action: WorkflowAction
  /** The run acted on; `undefined` for a start that lets the server pick the id. */
  runId: string | undefined
  /**
   * The workflow acted on: for a run that exists (a start with a taken id
   * included), the run's own, whatever the request names; for a start of a
   * new run, the one it will run; for a run that does not exist, the name
   * the request gives, if any.
   */
  workflow: string | undefined
}

/**
 * Only `true` and `undefined` (a hook that returns nothing) allow;
 * `'unauthorized'` answers 401; anything else answers 403 `forbidden` —
 * `false`, `'forbidden'`, and also what a plain JS hook may give by mistake
 * (`null`, `0`, `''`, `NaN`, another string or object): the hook fails closed.
 */
export type AuthorizeDecision = boolean | 'unauthorized' | 'forbidden' | undefined | void

interface HandlerOptionsBase extends ErrorHandlingOptions {
  /** Where runs live; defaults to a fresh `inMemoryRunStore()`. */
  runStore?: RunStore
  /** Runs before every action, resume included; refusing changes nothing. */
  authorize?: (request: Request, context: AuthorizeContext) => AuthorizeDecision | Promise<AuthorizeDecision>
  /** Largest accepted POST body (default 1 MiB). */
  maxBodyBytes?: number
  /** Comment frame interval on idle streams (default 15000). */
  heartbeatMs?: number
}

/** Options of `createWorkflowHandler`: one `workflow`, or several `workflows` by name (a request names its own with `workflow`). */
export type WorkflowHandlerOptions = HandlerOptionsBase &
  ({ workflow: Workflow; workflows?: never } | { workflows: Readonly<Record<string, Workflow>>; workflow?: never })

/** A fetch-style handler: export it from a Next.js route, Hono, Bun or Deno, or wrap it with `toNodeListener`. */
export type WorkflowHandler = (request: Request) => Promise<Response>

/** The longest delay setInterval keeps; it runs a longer one every millisecond. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * A fetch-style handler serving PROTOCOL §4 on one URL: POST actions and GET
 * resume. Responses only read the run's log; the run itself goes on without them.
 */
export function createWorkflowHandler(options: WorkflowHandlerOptions): WorkflowHandler {
  const registry = buildRegistry(options.workflows ?? { [options.workflow.name]: options.workflow })
  const store = options.runStore ?? inMemoryRunStore()
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  // Refused here, not per request: NaN would disable the size check, and a
  // heartbeat setInterval cannot wait for would ping every millisecond.
  if (!(maxBodyBytes >= 0)) throw new TypeError(`maxBodyBytes must be a number of bytes, not ${maxBodyBytes}`)
  if (!(heartbeatMs > 0 && heartbeatMs <= MAX_TIMER_MS)) {
    throw new TypeError(`heartbeatMs must be more than 0 and at most ${MAX_TIMER_MS}, not ${heartbeatMs}`)
  }
  const onError = options.onError ?? ((error: unknown) => console.error('[stepstream] request failed', error))
  const wording = errorWording(options)

  return async (request) => {
    try {
      const action = await readAction(request, maxBodyBytes)
      if (options.authorize) await authorize(options.authorize, request, await authorizeContext(registry, store, action))
      const result = await dispatch(registry, store, action, wording)
      if (result.kind === 'aborted') {
        return jsonResponse({ runId: result.runId, status: 'aborted' }, 202, { [HEADERS.runId]: result.runId })
      }
      const { reader, tailIndex } = await openLog(store, result.plan)
      return sseResponse(reader, { runId: result.plan.runId, tailIndex, heartbeatMs, requestSignal: request.signal })
    } catch (error) {
      if (!(error instanceof WorkflowRequestError)) onError(error)
      return errorResponse(error)
    }
  }
}

/**
 * The reader of an accepted request's events, and the tail for its headers.
 * A run the store dropped (ttl, deleteRun) since the request found it is
 * answered as one that is not there: 404, not a stream of nothing (or of
 * what was read, under a tail of -1) that ends as a drop.
 */
async function openLog(store: RunStore, plan: ReadPlan): Promise<{ reader: LogReader; tailIndex: number }> {
  const reader = await LogReader.open(store, plan)
  try {
    const tailIndex = await store.lastIndex(plan.runId)
    reader.refuseIfRunGone()
    return { reader, tailIndex }
  } catch (error) {
    // No response will own the reader: left open, it would hold its subscription (and watchdog) for good.
    reader.close()
    throw error
  }
}

async function readAction(request: Request, maxBodyBytes: number): Promise<ActionRequest> {
  if (request.method === 'GET') return parseResumeQuery(request)
  if (request.method === 'POST') return parseActionBody(await readJsonBody(request, maxBodyBytes))
  throw new WorkflowRequestError('invalid_request', `Method ${request.method} is not supported; use POST or GET`)
}

/**
 * What the hook judges. Naming the workflow is optional on a run's later
 * actions, so the name a request gives cannot be what a hook restricting a
 * workflow by name sees: leaving it out would pass the hook. The run's own
 * workflow is read from the store instead.
 *
 * A run that does not exist has no workflow: the hook sees what the request
 * names, and an allowed request goes on to 404. Authorizing still comes
 * before any answer about the run, so a caller the hook refuses outright
 * learns nothing; one refused only for some workflows can tell a run of
 * those (403) from no run (404) under an id it already holds. Run ids the
 * server makes are unguessable, and answering 404 before authorizing would
 * tell everyone, signed in or not.
 */
async function authorizeContext(registry: WorkflowRegistry, store: RunStore, action: ActionRequest): Promise<AuthorizeContext> {
  const run = action.runId === undefined ? undefined : await store.getRun(action.runId)
  const requested = action.action === 'start' ? (action.workflow ?? onlyWorkflowName(registry)) : action.workflow
  return { action: action.action, runId: action.runId, workflow: run?.workflow ?? requested }
}

async function authorize(hook: NonNullable<WorkflowHandlerOptions['authorize']>, request: Request, context: AuthorizeContext): Promise<void> {
  const decision = await hook(request, context)
  if (decision === true || decision === undefined) return
  if (decision === 'unauthorized') throw new WorkflowRequestError('unauthorized', 'Not authenticated')
  // Anything else refuses: `session && session.user === owner` gives null (or '') without a session.
  throw new WorkflowRequestError('forbidden', 'Not allowed')
}
