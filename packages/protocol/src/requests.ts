/** Request bodies and error shapes of PROTOCOL.md §4. */

/**
 * A body holds exactly one action (PROTOCOL §4); each type rules out the
 * other actions' keys, so an ambiguous body is a type error too.
 */
type NoOtherAction<TKey extends 'input' | 'approval' | 'signal' | 'startIndex' | 'abort'> = {
  [K in Exclude<'input' | 'approval' | 'signal' | 'startIndex' | 'abort', TKey>]?: never
}

export interface StartRequest<TInput = unknown> extends NoOtherAction<'input'> {
  input: TInput
  runId?: string
  /** Selects a workflow when the handler serves several. */
  workflow?: string
}

export interface ApprovalDecision {
  approvalId: string
  approved: boolean
  feedback?: string
}

export interface ApproveRequest extends NoOtherAction<'approval'> {
  runId: string
  approval: ApprovalDecision
  workflow?: string
}

export interface SignalDelivery<TPayload = unknown> {
  /** Idempotency key: re-sending the same id is a retry, not a second signal. */
  signalId: string
  name: string
  payload?: TPayload
}

export interface SignalRequest<TPayload = unknown> extends NoOtherAction<'signal'> {
  runId: string
  signal: SignalDelivery<TPayload>
  workflow?: string
}

export interface ResumeRequest extends NoOtherAction<'startIndex'> {
  runId: string
  startIndex: number
  workflow?: string
}

export interface AbortRequest extends NoOtherAction<'abort'> {
  runId: string
  abort: true
  workflow?: string
}

export type WorkflowRequest<TInput = unknown> =
  | StartRequest<TInput>
  | ApproveRequest
  | SignalRequest
  | ResumeRequest
  | AbortRequest

export type WorkflowAction = 'start' | 'approve' | 'signal' | 'resume' | 'abort'

export interface AbortResponse {
  runId: string
  status: 'aborted'
}

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

export interface ProtocolIssue {
  message: string
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>
}

export interface ProtocolErrorBody {
  error: { code: ProtocolErrorCode | (string & {}); message: string; issues?: ProtocolIssue[] }
}

export const HEADERS = {
  runId: 'x-workflow-run-id',
  tailIndex: 'x-workflow-stream-tail-index',
} as const

export const DEFAULT_HEARTBEAT_MS = 15_000
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
