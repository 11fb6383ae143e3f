/**
 * What a run's events say about an error: a `WorkflowError` as it is, any
 * other error as the run's wording has it. The engine throws a
 * `StepFailedError` into the body in place of what a step threw, with the
 * real message for the body; clients must keep seeing the step's worded
 * message for it wherever it goes (the run's RUN_ERROR, a parent step, a
 * rebuilt run that rethrows it), so that wrapper is remembered with it.
 */
import { WorkflowError } from '../errors.js'
import type { ErrorWording } from '../error-message.js'
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

export class ClientErrors {
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
    if (error instanceof WorkflowError) return { name: error.name, message: error.message }
    const masked = this.wording(error, stepName === undefined ? { ...this.run } : { ...this.run, stepName })
    return masked === undefined ? { name: nameOf(error), message: messageOf(error) } : { name: 'Error', message: masked }
  }
}
