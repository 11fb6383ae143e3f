import type { WireEvent, WorkflowClientState } from '@stepstream/client'

/**
 * Follows the deadline of a pause only the server can end (a `sleep()`).
 * The client state has no field for it: `pendingSignal` is for waits someone
 * can signal, which a `__` wait is not. So each app feeds this its client's
 * `onEvent`: `run.paused` (PROTOCOL §2) names the deadline, and the next
 * segment's `RUN_STARTED` means the run woke.
 */
export function followSleepDeadline(deadline: string | null, event: WireEvent): string | null {
  if (event.type === 'RUN_STARTED') return null
  if (event.type !== 'CUSTOM' || event.name !== 'run.paused') return deadline
  const value = event.value as { signalName?: unknown; deadline?: unknown } | null | undefined
  // Signal names starting with `__` are the engine's own waits: nobody but the deadline ends them.
  const serverOnly = typeof value?.signalName === 'string' && value.signalName.startsWith('__')
  return serverOnly && typeof value.deadline === 'string' ? value.deadline : deadline
}

type PauseFields = Pick<WorkflowClientState, 'status' | 'pendingApproval' | 'pendingSignal'>

/** The deadline to show: only while the run is paused with nothing for a person to do. */
export function sleepingUntil(state: PauseFields, deadline: string | null): string | null {
  return state.status === 'paused' && !state.pendingApproval && !state.pendingSignal ? deadline : null
}

/** A deadline as the wall-clock time a person compares with their own clock ("14:03:05"). */
export function formatClockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}
