import type { AbortRequest, ApproveRequest, IndexedEvent, ResumeRequest, SignalRequest, StartRequest } from '@stepstream/protocol'
import type { AgentInput, Workflow } from './authoring/types.js'
import { LogReader, type ReadPlan } from './engine/log-reader.js'
import { errorWording, type ErrorHandlingOptions } from './error-message.js'
import { runNotFound } from './errors.js'
import { buildRegistry, dispatch } from './requests/dispatch.js'
import { ACTION_KEYS, parseActionBody } from './requests/parse-action.js'
import type { RunStore } from './store/run-store.js'

type WithoutWorkflowName<T> = T extends unknown ? Omit<T, 'workflow'> : never

/**
 * A start of `TInput`. Over HTTP the `input` key is what makes a body a
 * start, so a client sends `input: null` for "no input"; a host calling
 * this function can simply leave it out, but only when the workflow's schema
 * takes a missing input (optional, defaulted, or no schema at all).
 */
type StartOptions<TInput> = Omit<StartRequest<TInput>, 'workflow' | 'input'> &
  (undefined extends TInput ? { input?: TInput } : { input: TInput })

/**
 * One request of PROTOCOL §4 plus the workflow and store to run it with, and
 * how its errors read to clients (as for the HTTP handler). A start's
 * `input` is the workflow's own input type; the other actions carry nothing
 * typed by the workflow.
 */
export type RunWorkflowOptions<TWorkflow extends Workflow = Workflow> = (
  | StartOptions<AgentInput<TWorkflow>>
  | WithoutWorkflowName<ApproveRequest | SignalRequest | ResumeRequest | AbortRequest>
) & {
  workflow: TWorkflow
  runStore: RunStore
} & ErrorHandlingOptions

/** What an accepted request is about: what the HTTP handler puts in its headers. */
export interface WorkflowStreamInfo {
  runId: string
  /** Index of the last event in the log once the request was applied (-1 if none). */
  tailIndex: number
}

/**
 * The events of one request, in log order with their absolute index. Read it
 * once (a single consumer); iterating it is the only thing most hosts need.
 * A store that can no longer follow the run (`SubscribeOptions.onFailure`:
 * a Redis live tail whose reads keep failing) makes a step throw its error
 * once the events the log held are out; the run goes on, and a resume from
 * the last index + 1 reads the rest (where the HTTP handler ends its
 * response, and the client resumes).
 */
export interface WorkflowEventStream extends AsyncIterable<IndexedEvent> {
  /**
   * Resolves once the request has been applied (the run started, resumed or
   * aborted); rejects with the `WorkflowRequestError` of a refused request,
   * which is also what the first step of iteration throws. A run dropped
   * (ttl, deleteRun) before reading began makes that first step throw
   * `run_not_found`, as the HTTP handler answers 404 then.
   */
  readonly ready: Promise<WorkflowStreamInfo>
  /** The run id once `ready` has resolved (and so inside a `for await`); `undefined` before. */
  readonly runId: string | undefined
  /** Stops reading and releases the log subscription; the run goes on. */
  close(): void
}

/**
 * For hosts with their own transport: performs one request (start, approve,
 * signal, resume, abort) and yields the events to send back, exactly what the
 * HTTP handler would stream (an abort yields none).
 *
 * The request is applied at once, like `fetch` sends at once, whether or not
 * the events are ever read; the log is only subscribed to when reading
 * starts, so an unread stream holds nothing (every event has an absolute
 * index, so reading later misses none).
 */
export function runWorkflow<TWorkflow extends Workflow>(options: RunWorkflowOptions<TWorkflow>): WorkflowEventStream {
  let info: WorkflowStreamInfo | undefined
  let reader: Promise<LogReader | undefined> | undefined
  let closed = false
  const applied = apply(options).then((result) => {
    info = result.info
    return result
  })
  const ready = applied.then((result) => result.info)
  // A refusal reaches whoever awaits `ready` or iterates; one who does neither must not crash the process with it.
  ready.catch(() => {})

  const openReader = async (): Promise<LogReader | undefined> => {
    const { plan } = await applied
    if (!plan || closed) return undefined
    const opened = await LogReader.open(options.runStore, plan)
    // close() may have run while the subscription was being set up.
    if (closed) opened.close()
    // As the HTTP handler does when it opens the log.
    opened.refuseIfRunGone()
    return opened
  }

  const close = () => {
    closed = true
    void reader?.then((opened) => opened?.close(), () => {})
  }

  return {
    ready,
    get runId() {
      return info?.runId
    },
    close,
    [Symbol.asyncIterator]: (): AsyncIterator<IndexedEvent> => ({
      next: async () => {
        reader ??= openReader()
        const event = await (await reader)?.next()
        return event ? { done: false, value: event } : { done: true, value: undefined }
      },
      return: async () => {
        close()
        return { done: true, value: undefined }
      },
    }),
  }
}

async function apply(options: RunWorkflowOptions): Promise<{ info: WorkflowStreamInfo; plan: ReadPlan | undefined }> {
  const { workflow, runStore, errorMessage, onError, ...request } = options
  const registry = buildRegistry({ [workflow.name]: workflow })
  // The request is validated like an HTTP body, so both paths accept and refuse the same things.
  const action = parseActionBody({ ...startWithoutInput(request), workflow: workflow.name })
  const result = await dispatch(registry, runStore, action, errorWording({ errorMessage, onError }))
  const runId = result.kind === 'aborted' ? result.runId : result.plan.runId
  const info = { runId, tailIndex: await runStore.lastIndex(runId) }
  // Dropped since the request found it: the tail says -1, and there is nothing to read. (An abort, answered 202 over HTTP, reads nothing.)
  if (result.kind === 'stream' && !(await runStore.getRun(runId))) throw runNotFound()
  return { info, plan: result.kind === 'aborted' ? undefined : result.plan }
}

/** A request naming no action is a start that left its input out (see StartOptions); the parser wants the key. */
function startWithoutInput(request: object): object {
  return ACTION_KEYS.some((key) => Object.hasOwn(request, key)) ? request : { ...request, input: undefined }
}
