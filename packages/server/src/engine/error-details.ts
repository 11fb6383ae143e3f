/**
 * What anything a workflow throws says of itself: the `code` of RUN_ERROR,
 * and the name and message that the run's events carry unless the run's
 * wording masks them (client-errors.ts). Bodies and agents may throw
 * anything, so none of these assume an `Error`, nor that reading one works:
 * a getter that throws here would cost the run its STEP_FINISHED and its
 * terminal event.
 */
import { WorkflowError } from '../errors.js'

export function codeOf(error: unknown): string {
  return error instanceof WorkflowError ? error.code : 'internal'
}

export function nameOf(error: unknown): string {
  const name = error instanceof Error ? readable(() => error.name) : undefined
  return typeof name === 'string' ? name : 'Error'
}

export function messageOf(error: unknown): string {
  const message = error instanceof Error ? readable(() => error.message) : saidBy(error)
  return typeof message === 'string' ? message : 'Unknown error'
}

/**
 * What a thrown value that is not an `Error` says: SDKs throw plain objects
 * with a `message`, code throws numbers, and outside production that text
 * is all a developer gets to see.
 */
function saidBy(thrown: unknown): unknown {
  switch (typeof thrown) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(thrown)
    case 'object':
      return thrown === null ? undefined : readable(() => (thrown as { message?: unknown }).message)
    default:
      return thrown
  }
}

function readable(read: () => unknown): unknown {
  try {
    return read()
  } catch {
    return undefined
  }
}
