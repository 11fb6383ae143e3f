import type { WorkflowStep } from '@stepstream/client'

type StepTiming = Pick<WorkflowStep, 'status' | 'stepType' | 'startedAt' | 'finishedAt'>
type StepShown = StepTiming & Pick<WorkflowStep, 'result'>

/** A running approval or signal step is the run waiting (for a person, a signal or a deadline), not working. */
function isWaiting(step: StepTiming): boolean {
  return step.status === 'running' && (step.stepType === 'approval' || step.stepType === 'signal')
}

/**
 * What the timeline says a step is doing: `waiting` for a pause's own step;
 * for an approval's, once decided, the decision (its result is the answer,
 * `{ approved, feedback? }`): "finished" alone read the same for a draft
 * sent back as for one approved. Else its status.
 */
export function stepStatusLabel(step: StepShown): string {
  if (isWaiting(step)) return 'waiting'
  if (step.stepType === 'approval' && step.status === 'finished') return decisionLabel(step.result) ?? step.status
  return step.status
}

function decisionLabel(result: unknown): string | undefined {
  const { approved, feedback } = (result ?? {}) as { approved?: unknown; feedback?: unknown }
  if (approved === true) return 'approved'
  if (approved !== false) return undefined
  // The card's Request changes always sends feedback; a refusal without any is a plain rejection.
  return typeof feedback === 'string' && feedback.trim() !== '' ? 'changes requested' : 'rejected'
}

/**
 * A step's duration so far ("1.4 s"); a running step counts up to `now`. A
 * waiting step shows none until it ends: nothing redraws a paused run, so a
 * count would stand still. Nor does a running step while this tab does not
 * follow the run (`following` false: after Disconnect or a lost connection),
 * for the same reason: nothing comes in to redraw it.
 */
export function stepDuration(step: StepTiming, following: boolean, now = Date.now()): string {
  if (isWaiting(step)) return ''
  if (step.status === 'running' && !following) return ''
  const ms = Math.max(0, (step.finishedAt ?? now) - step.startedAt)
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** The state inspector's text: stable key order is the server's, indentation for reading. */
export function formatState(state: unknown): string {
  return state === undefined ? '{}' : JSON.stringify(state, null, 2)
}
