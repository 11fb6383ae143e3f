/**
 * How anything a workflow throws reads in the run's events: the `code` and
 * message of RUN_ERROR, the name and message of a failed step. Bodies and
 * agents may throw anything, so none of these assume an `Error`.
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
