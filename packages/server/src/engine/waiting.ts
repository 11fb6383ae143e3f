/**
 * A run waiting at a pause, and what each way of ending the wait does:
 * how the pause's own step finishes in the resumed segment, how the journal
 * settles the command (replay answers it from there on), what the body gets.
 */
import type { ApprovalResult } from '../authoring/types.js'
import { WorkflowError } from '../errors.js'
import type { Schema } from '../schema.js'
import type { AppliedDecision, JournalCommand, PausedStepEntry, PendingInput, SettledStepEntry } from '../store/run-store.js'
import { recordError } from './recorded-error.js'
import type { OpenStep } from './log-tracker.js'

export type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown }

export interface Waiting {
  /** Journal position of the command the run waits in. */
  seq: string
  input: PendingInput
  payloadSchema: Schema | undefined
  /** Steps that were open when the run paused; reopened by the next segment. */
  suspendedSteps: OpenStep[]
  /** The pause's own step (the last suspended one): the next segment finishes it with the decision. */
  step: OpenStep
  isSleep: boolean
  settle: (settlement: Settlement) => void
}

/** The wait replay rebuilds at the journal's pause `entry`; `settle` hands the body its value. */
export function waitingAt(entry: PausedStepEntry, payloadSchema: Schema | undefined, settle: (settlement: Settlement) => void): Waiting {
  return {
    seq: entry.seq,
    input: entry.pending,
    payloadSchema,
    suspendedSteps: entry.suspendedSteps,
    step: entry.suspendedSteps.at(-1)!,
    isSleep: entry.command === 'sleep',
    settle,
  }
}

export interface Resumption {
  /** How the pause's own step finishes in the resumed segment. */
  step: { result: unknown } | { error: { name: string; message: string } }
  journal: { command: JournalCommand; outcome: SettledStepEntry['outcome'] }
  settlement: Settlement
  /** What the record keeps of the decision, so that a re-sent one is recognised as a retry. */
  applied?: (segmentStart: number) => AppliedDecision
}

export function approvalResumption(decision: { approvalId: string; approved: boolean; feedback?: string }): Resumption {
  const result: ApprovalResult = { approved: decision.approved, approvalId: decision.approvalId }
  if (decision.feedback !== undefined) result.feedback = decision.feedback
  return {
    step: { result },
    journal: { command: 'approval', outcome: { ok: true, value: result } },
    settlement: { ok: true, value: result },
    applied: (segmentStart) => ({ kind: 'approval', ...decision, segmentStart }),
  }
}

/** `payload` has passed the wait's payload schema. */
export function signalResumption(signal: { signalId: string; name: string }, payload: unknown): Resumption {
  return {
    step: { result: payload },
    // Never a sleep: its signal name is reserved, so requests for it are refused before they get here.
    journal: { command: 'signal', outcome: { ok: true, value: payload } },
    settlement: { ok: true, value: payload },
    applied: (segmentStart) => ({ kind: 'signal', signalId: signal.signalId, signalName: signal.name, segmentStart }),
  }
}

/** The deadline passed: a sleep wakes, a signal wait fails with `timeout`. */
export function deadlineResumption(waiting: Waiting): Resumption {
  if (waiting.isSleep) {
    return { step: { result: null }, journal: { command: 'sleep', outcome: { ok: true, value: null } }, settlement: { ok: true, value: undefined } }
  }
  const signalName = waiting.input.kind === 'signal' ? waiting.input.signalName : 'signal'
  const timeout = new WorkflowError('timeout', `No "${signalName}" signal before the deadline`)
  return {
    step: { error: { name: 'TimeoutError', message: timeout.message } },
    journal: { command: 'signal', outcome: { ok: false, error: recordError(timeout) } },
    settlement: { ok: false, error: timeout },
  }
}
