/**
 * The slice of a log `RunStore.read(runId, fromIndex, { limit })` asks for.
 * `read` is public, so its numbers may come from anywhere: events carry
 * their absolute index, and a bound that is not one (1.5, NaN) must never
 * come back as an index, nor a limit that means no page size be read as one.
 */
import type { ReadOptions } from './run-store.js'

export interface ReadRange {
  /** The first index read: the first whole index at or after `fromIndex`, at least 0. */
  start: number
  /** One past the last index read; `undefined` for no limit. */
  end: number | undefined
}

export function readRange(fromIndex: number, options: ReadOptions | undefined): ReadRange {
  if (typeof fromIndex !== 'number' || Number.isNaN(fromIndex)) throw new RangeError(`read's fromIndex must be a number, not ${String(fromIndex)}`)
  const start = Math.max(0, Math.ceil(fromIndex))
  const limit = options?.limit
  if (limit === undefined || limit === Infinity) return { start, end: undefined }
  // A count of events: 0 reads none, a fraction or a negative number is no count (a bug in the caller's arithmetic).
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`read's limit must be a whole number of events, not ${String(limit)}`)
  return { start, end: start + limit }
}
