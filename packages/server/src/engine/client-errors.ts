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
import type { RunErrorCode } from '@stepstream/protocol'
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

/** Errors the engine raised about another error (their `cause`), with their message short of that error's text. */
const summaries = new WeakMap<Error, string>()

/**
 * A `WorkflowError` the engine raises about `cause` (a value JSON cannot
 * hold because its toJSON or a getter threw, say): its message ends with
 * what `cause` says, for the developer and the body, but that text is as
 * unexpected as `cause` itself, so clients get it only when the run's
 * wording would show `cause` as it is; otherwise `summary` alone.
 */
export function errorAbout(code: RunErrorCode, summary: string, cause: unknown): WorkflowError {
  const error = new WorkflowError(code, `${summary}: ${messageOf(cause)}`, { cause })
  summaries.set(error, summary)
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
    if (error instanceof WorkflowError) {
      const summary = summaries.get(error)
      // A cause that is itself a WorkflowError says what it says for clients.
      const shownWhole = summary === undefined || error.cause instanceof WorkflowError || this.wording(error.cause, context) === undefined
      if (shownWhole) return { name: nameOf(error), message: messageOf(error) }
      return { name: nameOf(error), message: summary }
    }
    const masked = this.wording(error, context)
    return masked === undefined ? { name: nameOf(error), message: messageOf(error) } : { name: 'Error', message: masked }
  }
}
