/**
 * How far the rebuild of a paused run has got (see journal.ts): answers the
 * commands the body yields from the journal until the body is back at the
 * recorded pause, and tells whoever waits for the rebuild whether it got
 * there. Once it diverges it stays diverged.
 */
import type { CommandPayload } from '../authoring/commands.js'
import { WorkflowError } from '../errors.js'
import type { PausedStepEntry } from '../store/run-store.js'
import { NondeterministicReplayError, type ReplayJournal, type ReplayStep } from './journal.js'
import { journalCommandOf, journalNameOf } from './journal-names.js'
import type { RouteRecord } from './recorded-route.js'

export type ReplayOutcome = { ok: true } | { ok: false; error: unknown }

export class ReplayProgress {
  private diverged: unknown
  private settle!: (outcome: ReplayOutcome) => void
  /** Settles once the body waits at the recorded pause again, or can no longer get there. */
  readonly reached = new Promise<ReplayOutcome>((resolve) => {
    this.settle = resolve
  })

  constructor(private readonly journal: ReplayJournal) {}

  /** The pause the run is waiting in. */
  get openPause(): PausedStepEntry | undefined {
    return this.journal.openPause
  }

  /** What the command the body yielded as `seq` gets from the journal; throws if it is not what was recorded. */
  at(seq: string, command: CommandPayload): ReplayStep {
    if (this.diverged) throw this.diverged
    try {
      return this.journal.at(seq, journalCommandOf(command), journalNameOf(command))
    } catch (error) {
      // Sticky: a body that catches the error must not talk its way back onto the recorded path.
      this.diverged = error
      throw error
    }
  }

  /**
   * The state a body started from, as recorded at `seq`. `undefined` for a
   * run journalled before initial states were: it is initialized again.
   */
  recordedState(seq: string): { value: unknown } | undefined {
    if (this.diverged) throw this.diverged
    const entry = this.journal.settledAt(seq, 'initialize', 'initialize')
    return entry?.outcome.ok ? { value: entry.outcome.value } : undefined
  }

  /**
   * The router decision recorded at `seq`. `undefined` for a run journalled
   * before decisions were: its router is asked again, as replay did then.
   */
  recordedRoute(seq: string): RouteRecord | undefined {
    if (this.diverged) throw this.diverged
    try {
      const entry = this.journal.settledAt(seq, 'route', 'route')
      return entry?.outcome.ok ? (entry.outcome.value as RouteRecord) : undefined
    } catch (error) {
      // Sticky, as in `at`.
      this.diverged = error
      throw error
    }
  }

  /** The body is back at the recorded pause; `state` is its workflow state there, which must be the recorded one. */
  checkPause(entry: PausedStepEntry, state: unknown): void {
    if (this.diverged) throw this.diverged
    if (JSON.stringify(state) !== JSON.stringify(entry.state)) {
      this.diverged = new NondeterministicReplayError('Replay reached the pause with a different workflow state than the recorded run')
      throw this.diverged
    }
  }

  /** The body waits at the pause again: the rebuild is done. */
  reachedPause(): void {
    this.settle({ ok: true })
  }

  /** The body ended (or threw) before reaching the recorded pause: it is not the body that ran. */
  endedEarly(ending: { type: 'success' } | { type: 'error'; code: string; message: string }): void {
    const error =
      this.diverged ??
      (ending.type === 'error' && ending.code === 'nondeterministic_replay'
        ? new WorkflowError(ending.code, ending.message)
        : new NondeterministicReplayError(`Replay ended (${ending.type === 'error' ? ending.message : 'returned'}) before the recorded pause`))
    this.settle({ ok: false, error })
  }
}
