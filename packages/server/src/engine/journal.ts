/**
 * Durable replay. A paused run is rebuilt, in any process, by running its
 * workflow body again from the start and answering each command it yields
 * from the step journal instead of performing it: no agent runs twice, no
 * event is written twice. Replay ends at the command the run paused at; from
 * there the run is live again.
 *
 * This only works if the body is deterministic given the recorded values, so
 * every yielded command is checked against the journal (same kind, same
 * name, in the same order) and the state at the pause is compared; any
 * difference fails the run with `RUN_ERROR { code: 'nondeterministic_replay' }`.
 */
import { WorkflowError } from '../errors.js'
import { rebuildError, type RecordedFailure } from './recorded-error.js'
import type { JournalCommand, PausedStepEntry, SettledStepEntry, StartedStepEntry, StepJournalEntry } from '../store/run-store.js'

export type ReplayStep =
  | { kind: 'settled'; entry: SettledStepEntry }
  /** A nested workflow that was still running at the pause: replay goes inside it. */
  | { kind: 'enter'; entry: StartedStepEntry }
  /** The command the run paused at: replay ends here. */
  | { kind: 'pause'; entry: PausedStepEntry }

export class NondeterministicReplayError extends WorkflowError {
  override name = 'NondeterministicReplayError'

  constructor(message: string) {
    super('nondeterministic_replay', `${message}. Workflow bodies must be deterministic: do side effects in steps, use now()/uuid() for time and randomness`)
  }
}

export class ReplayJournal {
  private readonly settled = new Map<string, SettledStepEntry>()
  private readonly started = new Map<string, StartedStepEntry>()
  private readonly paused = new Map<string, PausedStepEntry>()

  constructor(entries: readonly StepJournalEntry[]) {
    for (const entry of entries) {
      if (entry.type === 'settled') this.settled.set(entry.seq, entry)
      else if (entry.type === 'started') this.started.set(entry.seq, entry)
      else this.paused.set(entry.seq, entry)
    }
  }

  /** The pause the run is waiting in: the last one with no decision recorded. */
  get openPause(): PausedStepEntry | undefined {
    let open: PausedStepEntry | undefined
    // Map order is journal order, so the last unsettled pause wins.
    for (const entry of this.paused.values()) if (!this.settled.has(entry.seq)) open = entry
    return open
  }

  /** What was settled at `seq`, if anything; throws if it was another command. */
  settledAt(seq: string, command: JournalCommand, name: string): SettledStepEntry | undefined {
    const settled = this.settled.get(seq)
    return settled && matching(settled, seq, command, name)
  }

  /** What the command yielded at `seq` gets during replay; throws if it is not what was recorded. */
  at(seq: string, command: JournalCommand, name: string): ReplayStep {
    const settled = this.settled.get(seq)
    if (settled) return { kind: 'settled', entry: matching(settled, seq, command, name) }
    const paused = this.paused.get(seq)
    if (paused) return { kind: 'pause', entry: matching(paused, seq, command, name) }
    const started = this.started.get(seq)
    if (started) return { kind: 'enter', entry: matching(started, seq, command, name) }
    throw new NondeterministicReplayError(`Replay yielded ${describe(command, name)} as command #${seq}, which the recorded run never reached`)
  }
}

function matching<T extends StepJournalEntry>(entry: T, seq: string, command: JournalCommand, name: string): T {
  if (entry.command !== command || entry.name !== name) {
    throw new NondeterministicReplayError(
      `Replay yielded ${describe(command, name)} as command #${seq}, but the recorded run yielded ${describe(entry.command, entry.name)}`,
    )
  }
  return entry
}

function describe(command: JournalCommand, name: string): string {
  return command === 'call' ? `step "${name}"` : `${command}("${name}")`
}

export function replayOutcome(entry: SettledStepEntry): unknown {
  // A woken sleep gave the live body nothing (`void`); its entry says null, JSON having no undefined.
  if (entry.outcome.ok) return entry.command === 'sleep' ? undefined : entry.outcome.value
  // The store's type names the fields every journal has; stores keep an entry's JSON whole, so what recordError added is there too.
  throw rebuildError(entry.outcome.error as RecordedFailure, entry.name)
}
