/**
 * The options that decide what clients see of errors stepstream did not
 * raise for them, shared by `createWorkflowHandler` and `runWorkflow` so both
 * paths send the same events, and the wording the engine applies from them.
 */

/** What `errorMessage` is told about the error it words. */
export interface ErrorMessageContext {
  runId: string
  /** The name the workflow is served under (the one requests give). */
  workflow: string
  /** The step the error failed; absent when the run failed outside any step. */
  stepName?: string
}

export interface ErrorHandlingOptions {
  /**
   * The message a run's events carry for an error stepstream did not raise
   * for clients: anything an agent, a workflow body, a schema or `initialize`
   * throws that is not a `WorkflowError`. A `WorkflowError` (and its
   * subclasses, such as `StepFailedError`) carries a code and a message meant
   * for clients and is sent as it is; a `fail(...)` result is a value, not an error.
   * One the engine raises about another error (a value that is not JSON
   * because its `toJSON` threw, say) is called with that other error; a
   * value the server made that fails its own schema (an agent's or the
   * workflow's output, the state: `invalid_output`, `invalid_state`) is a
   * server bug too, and is called with the `WorkflowError` that lists the
   * issues. Both keep their code; the message is the one returned here.
   *
   * The message goes in a failed step's `STEP_FINISHED.metadata.error`
   * (whose `name` is then `'Error'`: the class name is a detail too) and in
   * `RUN_ERROR`, once: a run that fails with its step's error says what the
   * step said, and a resume or a rebuilt run sends the same events. The
   * workflow body itself always catches the real error.
   *
   * Without it: when `NODE_ENV` is `'production'` (read when the error
   * happens), `Internal error` for a run and `Step "<name>" failed` for a
   * step, or for the two above the engine's own summary without the other
   * error's text or the issues (`Output of step "x" is not JSON`, `Output
   * of agent "x" is invalid`), and the original error goes to `onError`;
   * otherwise (development, tests) the error's own name and message. An
   * input that fails its schema (`invalid_input`) was passed by a caller
   * and always says why. One given here is used in every
   * environment and does its own logging; if it throws (or returns no
   * string) the generic message is sent and both errors go to `onError`.
   *
   * @example
   * errorMessage: (error, { runId, workflow, stepName }) => {
   *   logger.error({ err: error, runId, workflow, stepName })
   *   return stepName ? `"${stepName}" is unavailable, please try again` : 'Something went wrong'
   * }
   */
  errorMessage?: (error: unknown, context: ErrorMessageContext) => string
  /**
   * Sees the unexpected errors clients are not shown: those the default
   * `errorMessage` masks in production, and, for the HTTP handler, a request
   * it answers with a bare 500. Defaults to `console.error` with a
   * `[stepstream]` prefix.
   */
  onError?: (error: unknown) => void
}

/**
 * How the engine words an unexpected error for clients; `undefined` sends
 * its own name and message. `generic` marks stepstream's stand-in, which
 * says less than the summary of an error the engine raised about another.
 */
export type ErrorWording = (error: unknown, context: ErrorMessageContext) => { message: string; generic: boolean } | undefined

/** The wording the options ask for. */
export function errorWording({ errorMessage, onError }: ErrorHandlingOptions): ErrorWording {
  const report = (error: unknown, what: string) => {
    try {
      if (onError) onError(error)
      else console.error(`[stepstream] ${what}`, error)
    } catch (failure) {
      // A reporter that throws must not cost the run its terminal event (it is called while the run writes it).
      console.error('[stepstream] onError threw', failure)
    }
  }
  return (error, context) => {
    if (errorMessage) {
      try {
        const message = errorMessage(error, context)
        if (typeof message === 'string') return { message, generic: false }
        throw new TypeError(`errorMessage must return a string, not ${typeof message}`)
      } catch (failure) {
        report(error, describeFailure(context))
        report(failure, 'errorMessage threw')
        return { message: genericMessage(context), generic: true }
      }
    }
    if (!inProduction()) return undefined
    report(error, describeFailure(context))
    return { message: genericMessage(context), generic: true }
  }
}

function genericMessage({ stepName }: ErrorMessageContext): string {
  return stepName === undefined ? 'Internal error' : `Step "${stepName}" failed`
}

function describeFailure({ runId, workflow, stepName }: ErrorMessageContext): string {
  return `run ${runId} of workflow "${workflow}" failed${stepName === undefined ? '' : ` at step "${stepName}"`}`
}

/**
 * The literal `process.env.NODE_ENV`, which an app's bundler for an edge
 * runtime replaces with the build's value (`globalThis.process?.env` is
 * rewritten by none); a runtime with no `process` and no such bundler
 * throws here, and that is not production.
 */
function inProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production'
  } catch {
    return false
  }
}
