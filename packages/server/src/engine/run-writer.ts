/**
 * Everything one run execution writes to the store: events to the log,
 * entries to the step journal, changes to the run's record, each fenced by
 * the lease this execution holds (under a token of its own). Events and
 * journal entries go through one ordered queue, so both keep the order the
 * workflow produced them in, and the writer follows what the log still has
 * open so that a pause or an end can close it.
 */
import type { WorkflowEvent } from '@stepstream/protocol'
import { runStarted, stateSnapshot, stepFinished, stepStarted, textMessageEnd, toolCallEnd } from '@stepstream/protocol'
import type { RunRecord, RunStatus, RunStore, StepJournalEntry } from '../store/run-store.js'
import { LogTracker, type OpenStep } from './log-tracker.js'

export class RunWriter {
  private queue: Promise<void> = Promise.resolve()
  private failure: unknown
  private readonly written = new LogTracker()

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    /** The lease owner token every write is fenced with. */
    private readonly owner: string,
    private readonly isClosed: () => boolean,
  ) {}

  /** Runs `task` after everything queued before it; skipped once the run is closed unless `force`. */
  enqueue(task: () => Promise<unknown>, force = false): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.isClosed() && !force) return
      await task()
    })
    this.queue = run.catch((error: unknown) => {
      this.failure ??= error
    })
    return this.queue
  }

  /** Resolves once everything queued so far has run; never rejects (see `throwIfFailed`). */
  idle(): Promise<void> {
    return this.queue
  }

  /** Throws the first error the store gave a queued task, if any. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure
  }

  /**
   * Queues an event of the body or an agent. Dropped if no segment is open
   * when its turn comes: an emit that fires late (after a pause's interrupt,
   * or before a rebuilt run's next RUN_STARTED) has no segment to go in, and
   * PROTOCOL §3 ends every segment with its terminal event.
   */
  append(event: WorkflowEvent): Promise<void> {
    return this.enqueue(async () => {
      if (this.written.inSegment()) await this.write(event)
    })
  }

  /** Queues a journal entry behind the events before it, fenced like them. */
  journal(entry: StepJournalEntry): Promise<void> {
    return this.enqueue(() => this.writeJournal(entry))
  }

  /**
   * Ends the run, even though it is closed by now: a paused run's end gets a
   * segment of its own (`reopen`), whatever the log still has open ends with
   * `openWorkError`, `last` is the run's last event; then the record gets
   * the final status. Rejects, leaving the record as it was, if the store
   * refused a write of the end: the log has no complete end to point at. A
   * write refused before (a moment's lost connection, which the run may be
   * failing with) does not: with its end in the log, a record left
   * `running` would never be dropped, and nothing would settle it unread.
   */
  async end(end: {
    reopen?: { state: unknown; suspendedSteps: readonly OpenStep[] } | undefined
    openWorkError: { name: string; message: string }
    last: () => WorkflowEvent
    status: RunStatus
  }): Promise<void> {
    if (end.reopen) await this.markReopening()
    let endWritten = false
    await this.enqueue(async () => {
      if (end.reopen) await this.reopenSegment(end.reopen.state, end.reopen.suspendedSteps)
      await this.closeOpenWork({ error: end.openWorkError })
      await this.write(end.last())
      endWritten = true
    }, true)
    if (!endWritten) this.throwIfFailed()
    await this.updateRecord((record) => {
      record.status = end.status
      delete record.pending
    })
  }

  /**
   * Marks a paused run `running` with the segment about to be written, before
   * writing it. If this process dies in between, the lease runs out on a
   * running run and it is settled from its log (`executor_lost`, or the end
   * already written), instead of looking paused with an ended segment in its log.
   */
  async markReopening(change?: (record: RunRecord, start: number) => void): Promise<number> {
    await this.idle()
    const start = await this.nextIndex()
    await this.updateRecord((record) => {
      record.status = 'running'
      delete record.pending
      record.segmentStarts.push(start)
      change?.(record, start)
    })
    return start
  }

  /** The index the next event gets. Only the lease holder appends (fenced), so it is known before writing. */
  async nextIndex(): Promise<number> {
    return (await this.store.lastIndex(this.runId)) + 1
  }

  /** Changes the run's record (not queued: callers order it against the queue themselves). */
  async updateRecord(change: (record: RunRecord) => void): Promise<void> {
    const record = await this.store.getRun(this.runId)
    if (!record) return
    change(record)
    record.updatedAt = Date.now()
    await this.store.setRun(record, { lease: this.owner })
  }

  // The methods below act at once on the log as written so far: call them
  // from inside a queued task (queueing from inside one would wait for itself).

  /** Appends an event to the log; resolves to its index. */
  async write(event: WorkflowEvent): Promise<number> {
    const index = await this.store.append(this.runId, event, { lease: this.owner })
    this.written.observe(event)
    return index
  }

  writeJournal(entry: StepJournalEntry): Promise<void> {
    return this.store.appendStep(this.runId, entry, { lease: this.owner })
  }

  /** Steps the log has open, outermost first. */
  openSteps(): OpenStep[] {
    return this.written.openSteps()
  }

  /** Opens a segment after a pause: RUN_STARTED, STATE_SNAPSHOT, then the steps the pause suspended, under their ids. */
  async reopenSegment(state: unknown, suspendedSteps: readonly OpenStep[]): Promise<number> {
    const start = await this.write(runStarted(this.runId))
    await this.write(stateSnapshot(state))
    for (const step of suspendedSteps) await this.write(stepStarted(step))
    return start
  }

  /** Closes tool calls, messages and steps the log still has open. */
  async closeOpenWork(outcome: { error: { name: string; message: string } }): Promise<void> {
    for (const toolCallId of this.written.openToolCalls()) await this.write(toolCallEnd(toolCallId))
    for (const messageId of this.written.openMessages()) await this.write(textMessageEnd(messageId))
    for (const step of this.written.openSteps().reverse()) {
      await this.write(stepFinished({ stepName: step.stepName, stepId: step.stepId, error: outcome.error }))
    }
  }
}
