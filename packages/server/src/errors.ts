import type { ProtocolErrorCode, ProtocolIssue, RunErrorCode } from '@stepstream/protocol'
import { ERROR_STATUS } from '@stepstream/protocol'

/**
 * An error that ends a workflow segment with `RUN_ERROR { code }` when the
 * workflow does not catch it. Thrown by the engine into the workflow (a
 * failed step, invalid output, a missed deadline) and usable by authors.
 */
export class WorkflowError extends Error {
  override name = 'WorkflowError'
  readonly code: RunErrorCode

  constructor(code: RunErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** An agent or nested workflow step failed; `cause` is what it threw. */
export class StepFailedError extends WorkflowError {
  override name = 'StepFailedError'
  readonly stepName: string

  constructor(stepName: string, message: string, options?: { cause?: unknown; code?: RunErrorCode }) {
    super(options?.code ?? 'step_failed', message, options)
    this.stepName = stepName
  }
}

/**
 * A fenced write was refused: another process now holds the run's lease (or
 * it expired). The run is no longer this process's to drive.
 */
export class LeaseLostError extends WorkflowError {
  override name = 'LeaseLostError'

  constructor(runId: string) {
    super('executor_lost', `This process no longer holds the lease of run ${runId}`)
  }
}

/**
 * A request the server refuses (PROTOCOL §4 error table). Carries the HTTP
 * status so every layer (handler, `runWorkflow` callers) answers the same way.
 */
export class WorkflowRequestError extends Error {
  override name = 'WorkflowRequestError'
  readonly code: ProtocolErrorCode
  readonly status: number
  readonly issues: ProtocolIssue[] | undefined

  constructor(code: ProtocolErrorCode, message: string, issues?: ProtocolIssue[]) {
    super(message)
    this.code = code
    this.status = ERROR_STATUS[code]
    this.issues = issues
  }
}

/**
 * The refusal of a request on a run the store does not have: never created,
 * or dropped (its ttl ran out, deleteRun), before or while it was served.
 */
export function runNotFound(): WorkflowRequestError {
  return new WorkflowRequestError('run_not_found', 'No run with this id')
}
