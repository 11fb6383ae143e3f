/**
 * What anything a workflow throws says of itself: the `code` of RUN_ERROR,
 * and the name and message that the run's events carry unless the run's
 * wording masks them (client-errors.ts). Bodies and agents may throw
 * anything, so none of these assume an `Error`.
 */
import { WorkflowError } from '../errors.js'

export function codeOf(error: unknown): string {
  return error instanceof WorkflowError ? error.code : 'internal'
}

export function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error'
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : 'Unknown error'
}
