/**
 * Helpers for the blog's `{ ok: true, ... } | { ok: false, reason }` output
 * shape. They only build values: whatever `run` returns is the workflow's
 * output, so `fail(...)` still ends the run with `RUN_FINISHED` (a business
 * outcome the client narrows on), never `RUN_ERROR`. To end a run with
 * `RUN_ERROR`, throw (e.g. `throw new WorkflowError('declined', '...')`).
 */
import type { Failed, Succeeded } from './types.js'

/**
 * `{ ok: true, ...value }`. `value` must be a plain object without an `ok`
 * key, so the discriminant always means what it says.
 */
export function succeed<T extends object>(value: T & { ok?: never }): Succeeded<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('succeed(value): value must be an object, e.g. succeed({ article })')
  }
  // Rejected rather than overwritten: `succeed({ ok: false })` is a mistake worth hearing about.
  if (Object.hasOwn(value, 'ok')) throw new TypeError('succeed(value): value must not have its own "ok" key')
  return { ok: true, ...value } as Succeeded<T>
}

/**
 * `{ ok: false, reason }`: the workflow's output on the failure branch. The run
 * still finishes (`RUN_FINISHED`, outcome success); `fail` no longer ends it
 * with `RUN_ERROR workflow_failed` nor takes a `code`: throw for that.
 */
export function fail(reason: string): Failed {
  if (typeof reason !== 'string') throw new TypeError('fail(reason): reason must be a string')
  return { ok: false, reason }
}
