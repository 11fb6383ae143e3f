/**
 * Codes a client reports in `state.error` or `onError`. Server codes from
 * PROTOCOL §4 (4xx/5xx bodies) and `RUN_ERROR.code` pass through as they are.
 */
export type WorkflowErrorCode =
  | 'connection_lost'
  | 'malformed_event'
  | 'frame_too_large'
  | 'state_patch_failed'
  | 'invalid_output'
  | 'http_error'
  | 'invalid_url'
  | (string & {})

/** The plain, serialisable error kept in `state.error`. */
export interface WorkflowErrorInfo {
  code: WorkflowErrorCode
  message: string
}

/**
 * An error with a machine-readable `code`, passed to `onError`. `status` is
 * set when the server answered a request with an HTTP error.
 */
export class WorkflowError extends Error implements WorkflowErrorInfo {
  override readonly name = 'WorkflowError'
  readonly status: number | undefined
  constructor(
    readonly code: WorkflowErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options)
    this.status = options?.status
  }
}

/** `no_pending_approval` / `no_run`: the action has nothing to act on; `disposed`: the client was disposed; `not_json`: an input or payload JSON cannot carry; `invalid_start_index`: an attach() startIndex that is no integer. */
export type WorkflowUsageErrorCode = 'no_pending_approval' | 'no_run' | 'disposed' | 'not_json' | 'invalid_start_index'

/**
 * Thrown (as a rejected action promise) for programmer errors only, e.g.
 * `approve()` with nothing pending. Stream failures never reject: they land
 * in `state.error`.
 */
export class WorkflowUsageError extends Error {
  override readonly name = 'WorkflowUsageError'
  constructor(
    readonly code: WorkflowUsageErrorCode,
    message: string,
  ) {
    super(message)
  }
}
