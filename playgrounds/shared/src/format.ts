import type { WorkflowStep } from '@stepstream/client'
import { copy } from './demo.js'
import type { SleepSteps } from './sleep.js'

type StepTiming = Pick<WorkflowStep, 'status' | 'stepType' | 'startedAt' | 'finishedAt'>
type StepKind = Pick<WorkflowStep, 'stepId' | 'stepType'>
type StepShown = StepTiming & Pick<WorkflowStep, 'result' | 'error'>
type StepEnd = Pick<WorkflowStep, 'status' | 'error'>

/**
 * The names a step's error has when a stop cut it short, not when it failed:
 * the client gives a step still open at the run's end the run's error code
 * (`aborted`, PROTOCOL's RUN_ERROR code for a stop), and an abort signal's
 * reason is an `AbortError`.
 */
const abortErrorNames: readonly string[] = ['aborted', 'AbortError']

/**
 * What a step came to, as the timeline draws it (its `data-status`): its
 * status, except a step a stop cut short, which is `stopped`. The client
 * reports it `failed`, and a red dot and red message under a neutral "Run
 * stopped." told a person that something broke when someone only stopped it.
 */
export function stepOutcome(step: StepEnd): WorkflowStep['status'] | 'stopped' {
  if (step.status === 'failed' && step.error !== undefined && abortErrorNames.includes(step.error.name)) return 'stopped'
  return step.status
}

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
  return stepOutcome(step)
}

function decisionLabel(result: unknown): string | undefined {
  const { approved, feedback } = (result ?? {}) as { approved?: unknown; feedback?: unknown }
  if (approved === true) return 'approved'
  if (approved !== false) return undefined
  // The card's Request changes always sends feedback; a refusal without any is a plain rejection.
  return typeof feedback === 'string' && feedback.trim() !== '' ? 'changes requested' : 'rejected'
}

/** What kind of step the timeline says it is: a sleep reads as one, not as the `signal` the wire types it (sleep.ts). */
export function stepTypeLabel(step: StepKind, sleepSteps: SleepSteps): string {
  return sleepSteps.ids.includes(step.stepId) ? copy.sleepStepType : (step.stepType ?? '')
}

/**
 * Whether a step's duration counts up as time passes: a running step while
 * this tab follows the run (`following`: reading its stream, or reconnecting
 * to it, the step going on on the server meanwhile). Each app redraws a
 * counting step every `durationTickMs`, since no event comes in to redraw it
 * while the connection is down. A waiting step shows no count (it is the run
 * waiting, not working); a running step while this tab does not follow the
 * run (after Disconnect or a lost connection) shows none either: this tab
 * cannot know whether it still runs. A finished or failed step's duration is
 * fixed.
 */
export function isCounting(step: StepTiming, following: boolean): boolean {
  return step.status === 'running' && following && !isWaiting(step)
}

/** How often a counting step's duration is redrawn: the tenths of a second it shows. */
export const durationTickMs = 100

/** A step's duration so far ("1.4 s"); a counting step (`isCounting`) counts up to `now`. */
export function stepDuration(step: StepTiming, following: boolean, now = Date.now()): string {
  if (step.status === 'running' && !isCounting(step, following)) return ''
  const ms = Math.max(0, (step.finishedAt ?? now) - step.startedAt)
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** The state inspector's text: stable key order is the server's, indentation for reading. */
export function formatState(state: unknown): string {
  return state === undefined ? '{}' : JSON.stringify(state, null, 2)
}
