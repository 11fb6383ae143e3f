import type { RunRecord } from './run-store.js'

/**
 * How long from now a store keeps a run, given its `ttl` option; `undefined`
 * keeps it until `deleteRun` (a running run, which must never be dropped
 * under its executor, or a `ttl` of `Infinity`). Every store applies the same
 * rule, so a run lives as long on Redis as in memory.
 *
 * A run paused with a deadline (a sleep, a signal wait that times out) is not
 * idle: its deadline resumes it, so its ttl counts from that deadline.
 */
export function runRetentionMs(record: RunRecord, ttl: number): number | undefined {
  if (record.status === 'running' || !Number.isFinite(ttl)) return undefined
  const deadline = record.status === 'paused' && record.pending?.kind === 'signal' ? record.pending.deadline : undefined
  const wait = deadline === undefined ? 0 : Date.parse(deadline) - Date.now()
  return Math.max(0, ttl) + (wait > 0 ? wait : 0)
}
