/**
 * What the journal keeps of an error thrown into a workflow body (a failed
 * step, a signal wait that timed out), and the error a rebuilt body is
 * thrown in its place. The body may catch it and branch on what it finds,
 * so the rebuilt error must read as the live one did: its class (a
 * `StepFailedError`, another `WorkflowError`), name, message, `code`, step
 * name, and its causes, which for a failed step hold what the agent threw.
 * Only JSON is kept: a cause that is an `Error` comes back as an `Error` with
 * the same name, message and `code` (not an instance of its own class, and
 * without its stack); any other cause comes back as its JSON. What clients
 * were shown for it, when masked, is kept too, and they are shown that again.
 */
import { StepFailedError, WorkflowError } from '../errors.js'
import type { RunErrorCode } from '@stepstream/protocol'
import type { JournalledError } from '../store/run-store.js'
import { wordAs, wordingOf } from './client-errors.js'
import { messageOf, nameOf } from './error-details.js'
import { cloneJson } from './state-tracker.js'

/** A cause as JSON: an error's readable parts, or another thrown value's JSON. */
export type RecordedCause = { error: RecordedCauseError } | { value: unknown }

interface RecordedCauseError {
  name: string
  message: string
  /** Libraries use strings (`'ECONNRESET'`) and numbers (an HTTP status) alike. */
  code?: string | number
  cause?: RecordedCause
}

/**
 * The failure of a settled journal entry, with its cause read as this module
 * writes it; a journal written before `stepName` and `cause` were kept has
 * neither, and rebuilds as it did then.
 */
export interface RecordedFailure extends JournalledError {
  cause?: RecordedCause
  /** What clients were shown for it, when that was not its message (see client-errors.ts): a rebuilt body that rethrows it must not reveal more. */
  clientMessage?: string
}

/** Causes kept at most: enough for any real chain, and a cycle ends. */
const MAX_CAUSES = 8

export function recordError(error: unknown): RecordedFailure {
  const recorded: RecordedFailure = { name: nameOf(error), message: messageOf(error) }
  if (error instanceof WorkflowError) recorded.code = error.code
  if (error instanceof StepFailedError) recorded.stepName = error.stepName
  const cause = error instanceof Error ? recordCause(error.cause, MAX_CAUSES) : undefined
  if (cause) recorded.cause = cause
  const clientMessage = wordingOf(error)
  if (clientMessage !== undefined && clientMessage !== recorded.message) recorded.clientMessage = clientMessage
  return recorded
}

/** The error a rebuilt body is thrown for a recorded failure; `journalName` is the name of the step it was journalled under. */
export function rebuildError(recorded: RecordedFailure, journalName: string): Error {
  const error = rebuildFailure(recorded, journalName)
  if (recorded.clientMessage !== undefined) wordAs(error, recorded.clientMessage)
  return error
}

function rebuildFailure(recorded: RecordedFailure, journalName: string): Error {
  const { name, message, code } = recorded
  const cause = recorded.cause && { cause: rebuildCause(recorded.cause) }
  if (name === 'StepFailedError') {
    return new StepFailedError(recorded.stepName ?? journalName, message, { ...cause, ...(code === undefined ? {} : { code: code as RunErrorCode }) })
  }
  // The class is gone, but the name (a WorkflowError subclass an agent threw) is what the body saw: keep it.
  const error = code === undefined ? new Error(message, cause) : new WorkflowError(code as RunErrorCode, message, cause)
  error.name = name
  return error
}

function recordCause(cause: unknown, left: number): RecordedCause | undefined {
  if (cause === undefined || left === 0) return undefined
  if (!(cause instanceof Error)) {
    try {
      return { value: cloneJson(cause) }
    } catch {
      // A BigInt or a cycle: nothing JSON can keep.
      return undefined
    }
  }
  // Read as the events read it: a getter that throws must not cost the step its journal entry.
  const error: RecordedCauseError = { name: nameOf(cause), message: messageOf(cause) }
  const code = codeProperty(cause)
  if (typeof code === 'string' || typeof code === 'number') error.code = code
  const inner = recordCause(cause.cause, left - 1)
  if (inner) error.cause = inner
  return { error }
}

function codeProperty(error: Error): unknown {
  try {
    return (error as { code?: unknown }).code
  } catch {
    return undefined
  }
}

function rebuildCause(cause: RecordedCause): unknown {
  if ('value' in cause) return cause.value
  const { name, message, code } = cause.error
  const error = new Error(message, cause.error.cause && { cause: rebuildCause(cause.error.cause) })
  error.name = name
  return code === undefined ? error : Object.assign(error, { code })
}
