import type { WorkflowStep } from '@stepstream/client'

/** A step's duration so far ("1.4 s"); a running step counts up to `now`. */
export function stepDuration(step: Pick<WorkflowStep, 'startedAt' | 'finishedAt'>, now = Date.now()): string {
  const ms = Math.max(0, (step.finishedAt ?? now) - step.startedAt)
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** The state inspector's text: stable key order is the server's, indentation for reading. */
export function formatState(state: unknown): string {
  return state === undefined ? '{}' : JSON.stringify(state, null, 2)
}

/** The stop button and the form only make sense while nothing is in flight. */
export function isLive(status: string): boolean {
  return status === 'running' || status === 'paused'
}
