/**
 * What a run's events say about an error: a `WorkflowError` as it is, any
 * other error as the run's wording has it. The engine throws a
 * `StepFailedError` into the body in place of what a step threw, with the
 * real message for the body; clients must keep seeing the step's worded
 * message for it wherever it goes (the run's RUN_ERROR, a parent step, a
 * rebuilt run that rethrows it), so that wrapper is remembered with it.
 */
import { WorkflowError } from '../errors.js'
import type { ErrorMessageContext, ErrorWording } from '../error-message.js'
import type { ProtocolIssue, RunErrorCode } from '@stepstream/protocol'
import { describeIssues } from '../schema.js'
import { messageOf, nameOf } from './error-details.js'

export interface ClientError {
  name: string
  message: string
}

/** Errors the engine made in place of another, with the message clients saw for that other one. */
const worded = new WeakMap<Error, string>()

/** `error`, made by the engine in place of another, reads to clients as `message`. */
export function wordAs(error: Error, message: string): void {
  worded.set(error, message)
}

/** The message clients saw for an error the engine made in place of another, if it is one. */
export function wordingOf(error: unknown): string | undefined {
  return error instanceof Error ? worded.get(error) : undefined
}

/**
 * Errors the engine raised about a server bug: their message short of the
 * bug's text, and what the run's wording is asked about (the error they
 * were raised about, or themselves).
 */
const summaries = new WeakMap<Error, { summary: string; detail: unknown }>()

/**
 * A `WorkflowError` the engine raises about `cause` (a value JSON cannot
 * hold because its toJSON or a getter threw, say): its message ends with
 * what `cause` says, for the developer and the body, but that text is as
 * unexpected as `cause` itself, so clients get it only when the run's
 * wording would show `cause` as it is; otherwise `summary` alone.
 */
export function errorAbout(code: RunErrorCode, summary: string, cause: unknown): WorkflowError {
  const error = new WorkflowError(code, `${summary}: ${messageOf(cause)}`, { cause })
  summaries.set(error, { summary, detail: cause })
  return error
}

/**
 * A `WorkflowError` for a value the server made (an output, the state)
 * that its own schema refuses: a server bug, so the issues (a refinement's
 * text, values a library quotes) are for the developer and the body, and
 * clients get them only when the run's wording would show the error as it is.
 */
export function invalidValue(code: 'invalid_output' | 'invalid_state', summary: string, issues: ProtocolIssue[]): WorkflowError {
  const error = new WorkflowError(code, `${summary}: ${describeIssues(issues)}`)
  summaries.set(error, { summary, detail: error })
  return error
}

export class ClientErrors {
  /**
   * What was written for each error already: an error the body rethrows
   * after its step reported it (its cause, say) is worded, and reported,
   * once per run, and reads to clients as it did.
   */
  private readonly described = new WeakMap<object, ClientError>()

  constructor(
    private readonly wording: ErrorWording,
    private readonly run: { runId: string; workflow: string },
  ) {}

  /**
   * The name and message the log gets for `error`, which failed `stepName`
   * (or, without it, the run). Call it only for what is written: the
   * wording may report the error.
   */
  describe(error: unknown, stepName?: string): ClientError {
    const message = wordingOf(error)
    if (message !== undefined) return { name: nameOf(error), message }
    const isObject = (typeof error === 'object' || typeof error === 'function') && error !== null
    const known = isObject ? this.described.get(error) : undefined
    if (known) return known
    const shown = this.word(error, stepName === undefined ? { ...this.run } : { ...this.run, stepName })
    if (isObject) this.described.set(error, shown)
    return shown
  }

  private word(error: unknown, context: ErrorMessageContext): ClientError {
    const whole = () => ({ name: nameOf(error), message: messageOf(error) })
    if (error instanceof WorkflowError) {
      const about = summaries.get(error)
      // A cause that is itself a WorkflowError says what it says for clients.
      if (about === undefined || (about.detail !== error && about.detail instanceof WorkflowError)) return whole()
      const masked = this.wording(about.detail, context)
      if (masked === undefined) return whole()
      // The code stays: it names the kind of bug, not its details.
      return { name: nameOf(error), message: masked.generic ? about.summary : masked.message }
    }
    const masked = this.wording(error, context)
    return masked === undefined ? whole() : { name: 'Error', message: masked.message }
  }
}
