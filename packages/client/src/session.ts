/**
 * What the client keeps about the request it is making (a session: one
 * action, then the resumes that follow it after drops) and the signals its
 * read loop throws to the attempt loop.
 */
import type { WorkflowAction } from '@stepstream/protocol'
import type { WorkflowError, WorkflowErrorInfo } from './errors.js'
import type { WorkflowStatus } from './state.js'

export interface Session {
  controller: AbortController
  /** True once a request went out: before that (a start still checking its input) the server knows nothing of it. */
  sent: boolean
  /** True once any response answered, so retries resume instead of re-sending the action. */
  answered: boolean
  /** The server's `retry:`: the least wait before any reconnection of this session (SSE keeps it). */
  retryMs: number | undefined
  /** An HTTP `Retry-After`: the least wait before the next attempt only (it answered that one request). */
  retryAfterMs?: number
  /** A start's request on its way, not answered yet: a stop() waits for it before sending its abort. */
  starting?: Promise<unknown>
  /** Set by stop() while `starting`: ending the session leaves that request out until it is answered. */
  holdStart?: boolean
  /** For approve/signal: the run as it was, shown again if the server refuses the action. */
  before?: RunBefore
  /** Following the run after a conflict: the refusal stays the error unless the run's own events bring one. */
  refusal?: WorkflowErrorInfo
}

export interface RunBefore {
  status: WorkflowStatus
  settled: boolean
  /** An earlier action this one cut (a double click) may have reached the server: a refusal cannot tell how the run is now. */
  uncertain?: boolean
}

export interface PendingRequest {
  action: WorkflowAction
  body: Record<string, unknown>
}

/** Thrown out of the read loop to replay the run's log from index 0. */
export class RebuildRequested extends Error {}

/** Thrown out of the read loop when retrying cannot help. */
export class FatalStreamError extends Error {
  constructor(
    readonly failure: WorkflowError,
    readonly reported: boolean,
  ) {
    super(failure.message)
  }
}
