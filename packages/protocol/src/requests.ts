/** Request bodies and error shapes of PROTOCOL.md §4. */

/**
 * A body holds exactly one action (PROTOCOL §4); each type rules out the
 * other actions' keys, so an ambiguous body is a type error too.
 */
type NoOtherAction<TKey extends 'input' | 'approval' | 'signal' | 'startIndex' | 'abort'> = {
  [K in Exclude<'input' | 'approval' | 'signal' | 'startIndex' | 'abort', TKey>]?: never
}

/** Starts a run (`POST`); a retried start with the same `runId` and input is served like a resume from 0. */
export interface StartRequest<TInput = unknown> extends NoOtherAction<'input'> {
  input: TInput
  runId?: string
  /** Selects a workflow when the handler serves several. */
  workflow?: string
}

/** A person's answer to the approval `approvalId` the run waits on. */
export interface ApprovalDecision {
  approvalId: string
  approved: boolean
  feedback?: string
}

/** Answers a paused run's approval (`POST`); the response streams the run's next segment. */
export interface ApproveRequest extends NoOtherAction<'approval'> {
  runId: string
  approval: ApprovalDecision
  workflow?: string
}

/** A signal sent to a run waiting for `name`. */
export interface SignalDelivery<TPayload = unknown> {
  /** Idempotency key: re-sending the same id is a retry, not a second signal. */
  signalId: string
  name: string
  payload?: TPayload
}

/** Sends a signal to a paused run (`POST`); the response streams the run's next segment. */
export interface SignalRequest<TPayload = unknown> extends NoOtherAction<'signal'> {
  runId: string
  signal: SignalDelivery<TPayload>
  workflow?: string
}

/** Replays a run's log from `startIndex` (negative: the last `-startIndex` events) and follows it; `GET` takes it as a query. */
export interface ResumeRequest extends NoOtherAction<'startIndex'> {
  runId: string
  startIndex: number
  workflow?: string
}

/** Stops a running or paused run (`POST`); answered `202` with an `AbortResponse`. */
export interface AbortRequest extends NoOtherAction<'abort'> {
  runId: string
  abort: true
  workflow?: string
}

/** Any request body a workflow endpoint takes. */
export type WorkflowRequest<TInput = unknown> =
  | StartRequest<TInput>
  | ApproveRequest
  | SignalRequest
  | ResumeRequest
  | AbortRequest

/** The action a request body names (by its action key: `input`, `approval`, `signal`, `startIndex`, `abort`). */
export type WorkflowAction = 'start' | 'approve' | 'signal' | 'resume' | 'abort'

/** The `202` answer to an abort. */
export interface AbortResponse {
  runId: string
  status: 'aborted'
}

/** The `error.code` of a refused request (PROTOCOL §4); `ERROR_STATUS` gives each one's HTTP status. */
export type ProtocolErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'run_not_found'
  | 'run_id_conflict'
  | 'run_not_paused'
  | 'approval_mismatch'
  | 'approval_conflict'
  | 'signal_mismatch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal'

/** The HTTP status each `ProtocolErrorCode` is answered with. */
export const ERROR_STATUS: Readonly<Record<ProtocolErrorCode, number>> = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  run_not_found: 404,
  run_id_conflict: 409,
  run_not_paused: 409,
  approval_mismatch: 409,
  approval_conflict: 409,
  signal_mismatch: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
}

/** One problem a schema found in a request (`invalid_input`), as JSON. */
export interface ProtocolIssue {
  message: string
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>
}

/** The JSON body of every refused request. */
export interface ProtocolErrorBody {
  error: { code: ProtocolErrorCode | (string & {}); message: string; issues?: ProtocolIssue[] }
}

/** The headers every SSE response carries (PROTOCOL §1): the run's id, and the log's last index when the response started. */
export const HEADERS = {
  runId: 'x-workflow-run-id',
  tailIndex: 'x-workflow-stream-tail-index',
} as const

/** How often an idle stream gets a `: ping` comment, unless the server is told otherwise. */
export const DEFAULT_HEARTBEAT_MS = 15_000
/** The largest request body a server takes by default (larger: `413 payload_too_large`). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
