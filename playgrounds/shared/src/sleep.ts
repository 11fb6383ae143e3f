import type { WireEvent, WorkflowClientState } from '@stepstream/client'
import { isRunGone } from './run-controls.js'

/**
 * Follows the deadline of a pause only the server can end (a `sleep()`).
 * The client state has no field for it: `pendingSignal` is for waits someone
 * can signal, which a `__` wait is not. So each app feeds this its client's
 * `onEvent`: `run.paused` (PROTOCOL §2) names the deadline, and the next
 * segment's `RUN_STARTED` means the run woke.
 */
export function followSleepDeadline(deadline: string | null, event: WireEvent): string | null {
  if (event.type === 'RUN_STARTED') return null
  return sleepDeadlineOf(event) ?? deadline
}

/** The deadline a `run.paused` event names for a pause only the server ends (a sleep); else undefined. */
function sleepDeadlineOf(event: WireEvent): string | undefined {
  if (event.type !== 'CUSTOM' || event.name !== 'run.paused') return undefined
  const value = event.value as { signalName?: unknown; deadline?: unknown } | null | undefined
  // Signal names starting with `__` are the engine's own waits: nobody but the deadline ends them.
  const serverOnly = typeof value?.signalName === 'string' && value.signalName.startsWith('__')
  return serverOnly && typeof value.deadline === 'string' ? value.deadline : undefined
}

/**
 * Which of the run's steps are sleeps. The wire types a sleep's step
 * `signal` (the engine waits on a reserved signal that only the deadline
 * sends), so the timeline read it as a signal someone had to send. What tells
 * them apart is the `run.paused` that follows the wait's `STEP_STARTED`: it
 * names a server-only wait. Each app feeds this its client's `onEvent`, as
 * `followSleepDeadline`; a reload replays the log, so it learns them again.
 */
export interface SleepSteps {
  readonly ids: readonly string[]
  /** The last wait step started, until its pause says what it waits for. */
  readonly lastWait: string | null
}

export const noSleepSteps: SleepSteps = { ids: [], lastWait: null }

export function followSleepSteps(steps: SleepSteps, event: WireEvent): SleepSteps {
  if (event.type === 'STEP_STARTED') {
    const stepId = event.metadata?.stepId
    return event.metadata?.stepType === 'signal' && typeof stepId === 'string' ? { ...steps, lastWait: stepId } : steps
  }
  const wait = steps.lastWait
  if (wait === null || sleepDeadlineOf(event) === undefined || steps.ids.includes(wait)) return steps
  return { ids: [...steps.ids, wait], lastWait: null }
}

type PauseFields = Pick<WorkflowClientState, 'status' | 'error' | 'pendingApproval' | 'pendingSignal'>

/** The deadline to show: only while the run is paused with nothing for a person to do (and the server still knows it: isRunGone). */
export function sleepingUntil(state: PauseFields, deadline: string | null): string | null {
  return state.status === 'paused' && !isRunGone(state) && !state.pendingApproval && !state.pendingSignal ? deadline : null
}

/** A deadline as the wall-clock time a person compares with their own clock ("14:03:05"). */
export function formatClockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}
