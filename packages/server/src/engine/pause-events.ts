/**
 * What a pause writes: the input the run waits for (kept in the record and
 * the journal), the wait's own step, the event that asks for the decision
 * and the interrupt that ends the segment.
 */
import type { RunPausedValue, WorkflowEvent } from '@stepstream/protocol'
import { approvalInterrupt, approvalRequested, runInterrupted, runPaused, signalInterrupt } from '@stepstream/protocol'
import type { CommandPayload } from '../authoring/commands.js'
import type { PendingInput } from '../store/run-store.js'
import { journalNameOf } from './journal-names.js'
import type { OpenStep } from './log-tracker.js'
import { uniqueName } from './step-names.js'

/** The commands that pause the run until a decision (or a deadline) comes. */
export type PauseCommand = Extract<CommandPayload, { type: 'approval' | 'signal' | 'sleep' }>

export function pendingInputOf(command: PauseCommand): PendingInput {
  switch (command.type) {
    case 'approval':
      return { kind: 'approval', approvalId: crypto.randomUUID(), title: command.title, ...optional('description', command.description) }
    case 'signal':
      return { kind: 'signal', signalName: command.name, ...optional('deadline', command.deadline), ...optional('meta', command.meta) }
    case 'sleep':
      return { kind: 'signal', signalName: command.name, deadline: command.deadline }
  }
}

/** The wait's own step, named after what the body did: a sleep's signal name is plumbing. */
export function waitStep(command: PauseCommand, openStepNames: readonly string[]): OpenStep {
  return {
    stepId: crypto.randomUUID(),
    stepName: uniqueName(command.type === 'sleep' ? 'sleep' : journalNameOf(command), openStepNames),
    stepType: command.type === 'approval' ? 'approval' : 'signal',
  }
}

/** The event that asks for the decision: an approval request, or the signal the run waits for. */
export function pauseRequested(input: PendingInput): WorkflowEvent {
  return input.kind === 'approval'
    ? approvalRequested({ approvalId: input.approvalId, title: input.title, ...optional('description', input.description) })
    : runPaused(signalValue(input))
}

/** The segment's last event: RUN_FINISHED with the interrupt a client answers. */
export function pauseInterrupted(runId: string, input: PendingInput): WorkflowEvent {
  return runInterrupted(runId, [input.kind === 'approval' ? approvalInterrupt(input) : signalInterrupt(signalValue(input))])
}

function signalValue(input: Extract<PendingInput, { kind: 'signal' }>): RunPausedValue {
  return { signalName: input.signalName, ...optional('deadline', input.deadline), ...optional('meta', input.meta) }
}

function optional<TKey extends string, TValue>(key: TKey, value: TValue | undefined): { [K in TKey]?: TValue } {
  return (value === undefined ? {} : { [key]: value }) as { [K in TKey]?: TValue }
}
