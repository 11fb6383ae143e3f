/**
 * The actions of PROTOCOL §4 over a RunStore: start, approve, signal, resume,
 * abort. Each either refuses with a WorkflowRequestError (changing nothing)
 * or returns the read plan of the events to stream back.
 *
 * Any number of processes may share the store. A run is driven by the one
 * process holding its lease; a paused run has no executor, so whichever
 * process gets the decision takes the lease and rebuilds the run by replay.
 */
import type { ApprovalDecision, SignalDelivery } from '@stepstream/protocol'
import type { WorkflowDefinition } from '../authoring/definitions.js'
import type { ErrorWording } from '../error-message.js'
import { runNotFound, WorkflowError, WorkflowRequestError } from '../errors.js'
import { ClientErrors } from './client-errors.js'
import { checkStartInput } from './start-input.js'
import type { PendingInput, RunRecord, RunStore } from '../store/run-store.js'
import { RunExecution } from './execution.js'
import { settleLostRun } from './executor-lost.js'
import { fingerprint } from './fingerprint.js'
import { ReplayJournal } from './journal.js'
import type { ReadPlan } from './log-reader.js'
import { KeyedLock } from './run-lock.js'

/**
 * A workflow as the request's caller serves it: the name it is served under,
 * its definition, and how the caller words its unexpected errors for clients
 * (the engine is shared by every caller using a store, so this comes with
 * each request, and each execution words its run's errors the way the
 * caller that built it does).
 */
export interface ServedWorkflow {
  name: string
  definition: WorkflowDefinition
  wording: ErrorWording
}

export interface StartAction {
  workflow: ServedWorkflow
  input: unknown
  runId?: string
}

/** Finds a run's workflow by the name it is served under. */
export type WorkflowLookup = (name: string) => ServedWorkflow | undefined

const MAX_TIMER_MS = 2 ** 31 - 1
const LEASE_POLL_MS = 25

export class Engine {
  private readonly lock = new KeyedLock()
  /** Runs this process is executing right now (holding their lease). */
  private readonly live = new Map<string, RunExecution>()
  /** Deadline timers of runs that paused in this process. */
  private readonly deadlines = new Map<string, ReturnType<typeof setTimeout>>()
  /**
   * Names this process in the lease owner tokens it takes. Each time it
   * takes a run's lease (to start, rebuild or settle the run) it does so
   * under a token of its own (`leaseOwner`): a run deleted while this
   * process executed it, and started again under the same id, must not be
   * written to by the old execution, nor lose its lease when the old one
   * lets go of "its" lease.
   */
  private readonly processId = crypto.randomUUID()
  /** Ends each open reader of a run, should the run be deleted. */
  private readonly readers = new Map<string, Set<() => void>>()

  constructor(private readonly store: RunStore) {
    store.onRunDeleted?.((runId) => {
      this.live.get(runId)?.dispose()
      this.live.delete(runId)
      this.clearDeadline(runId)
      for (const end of [...(this.readers.get(runId) ?? [])]) end()
    })
  }

  async start(action: StartAction): Promise<ReadPlan> {
    const { recorded, checked } = await checkStartInput(action.workflow.definition.input, action.input)
    if (!checked.ok) throw new WorkflowRequestError('invalid_input', 'Workflow input is invalid', checked.issues)
    // A missing input and null fingerprint alike: a retried start is the same start either way.
    const inputFingerprint = await fingerprint({ workflow: action.workflow.name, input: recorded ?? null })
    const runId = action.runId ?? crypto.randomUUID()
    return this.lock.run(runId, async () => {
      const now = Date.now()
      const record: RunRecord = {
        runId,
        workflow: action.workflow.name,
        status: 'running',
        inputFingerprint,
        // As sent: a rebuilt run validates it again, and a schema tells a missing input (its default) from null.
        ...(recorded === undefined ? {} : { input: recorded }),
        applied: [],
        segmentStarts: [0],
        createdAt: now,
        updatedAt: now,
      }
      // The lease comes first, so no other process ever sees this run running without an executor.
      const owner = this.leaseOwner()
      const leased = await this.store.acquireLease(runId, owner)
      if (!leased || !(await this.store.createRun(record))) {
        if (leased) await this.store.releaseLease(runId, owner)
        const existing = await this.createdRun(runId)
        if (existing && existing.workflow === action.workflow.name && existing.inputFingerprint === inputFingerprint) {
          return this.replayPlan(runId, 0)
        }
        if (!existing) throw new WorkflowRequestError('run_id_conflict', 'A run with this id is being created by another request')
        throw new WorkflowRequestError('run_id_conflict', 'A run with this id already exists with a different input')
      }
      const execution = this.execution(runId, action.workflow, owner)
      await execution.launch(checked.value)
      return this.plan(runId, 0, 0)
    })
  }

  /**
   * The record of a run whose id a start found taken. Another process's
   * start may be between taking the lease and creating the record, so it
   * is waited for, as a decision waits for a lease; `undefined` if it never
   * comes (that start died).
   */
  private async createdRun(runId: string): Promise<RunRecord | undefined> {
    const deadline = Date.now() + 2 * this.store.leaseTtlMs
    for (;;) {
      const record = await this.store.getRun(runId)
      if (record || Date.now() > deadline) return record
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS))
    }
  }

  async approve(runId: string, decision: ApprovalDecision, workflows: WorkflowLookup, workflowName?: string): Promise<ReadPlan> {
    return this.unlessDropped(runId, () => this.applyApproval(runId, decision, workflows, workflowName))
  }

  private applyApproval(runId: string, decision: ApprovalDecision, workflows: WorkflowLookup, workflowName: string | undefined): Promise<ReadPlan> {
    return this.lock.run(runId, () =>
      this.withPausedRun<ReadPlan>(runId, workflowName, workflows, async (record) => {
        const applied = record.applied.find((item) => item.kind === 'approval' && item.approvalId === decision.approvalId)
        if (applied?.kind === 'approval') {
          if (applied.approved === decision.approved && applied.feedback === decision.feedback) {
            return { done: await this.replayPlan(runId, applied.segmentStart) }
          }
          throw new WorkflowRequestError('approval_conflict', 'This approval was already answered with a different decision')
        }
        if (record.status !== 'paused') throw notPaused(record)
        if (record.pending?.kind !== 'approval' || record.pending.approvalId !== decision.approvalId) {
          throw new WorkflowRequestError('approval_mismatch', 'The run is not waiting for this approval')
        }
        return {
          apply: async (execution) => {
            const start = await execution.applyApproval(decision)
            return this.plan(runId, start, start)
          },
        }
      }).catch((error: unknown) => this.failedReplayPlan(runId, error)),
    )
  }

  async signal(runId: string, signal: SignalDelivery, workflows: WorkflowLookup, workflowName?: string): Promise<ReadPlan> {
    return this.unlessDropped(runId, () => this.applySignal(runId, signal, workflows, workflowName))
  }

  private async applySignal(runId: string, signal: SignalDelivery, workflows: WorkflowLookup, workflowName: string | undefined): Promise<ReadPlan> {
    // A deadline no timer here fired (armed by another process, or before a restart) ends the wait first: the signal is late.
    await this.fireDeadlineBeforeRequest(await this.requireRun(runId, workflowName), workflows)
    return this.lock.run(runId, () =>
      this.withPausedRun<ReadPlan>(runId, workflowName, workflows, async (record) => {
        const applied = record.applied.find((item) => item.kind === 'signal' && item.signalId === signal.signalId)
        if (applied?.kind === 'signal') {
          if (applied.signalName === signal.name) return { done: await this.replayPlan(runId, applied.segmentStart) }
          throw new WorkflowRequestError('signal_mismatch', 'This signal id was already used for another signal')
        }
        if (record.status !== 'paused') throw notPaused(record)
        if (record.pending?.kind !== 'signal' || record.pending.signalName !== signal.name) {
          throw new WorkflowRequestError('signal_mismatch', `The run is not waiting for a "${signal.name}" signal`)
        }
        return {
          apply: async (execution) => {
            const start = await execution.applySignal(signal)
            return this.plan(runId, start, start)
          },
        }
      }).catch((error: unknown) => this.failedReplayPlan(runId, error)),
    )
  }

  /** A decision that ended the run instead (a diverged replay, an earlier abort) is answered with the segment that ended it. */
  private failedReplayPlan(runId: string, error: unknown): ReadPlan {
    if (!(error instanceof EndedInstead)) throw error
    return this.plan(runId, error.segmentStart, error.segmentStart)
  }

  async resume(runId: string, startIndex: number, workflows: WorkflowLookup, workflowName?: string): Promise<ReadPlan> {
    return this.unlessDropped(runId, async () => {
      const record = await this.requireRun(runId, workflowName)
      if (record.status === 'running') await this.settleIfOrphaned(runId)
      else if (record.status === 'paused') await this.fireDeadlineBeforeRequest(record, workflows)
      return this.replayPlan(runId, startIndex)
    })
  }

  async abort(runId: string, workflows: WorkflowLookup, workflowName?: string): Promise<void> {
    await this.unlessDropped(runId, () => this.applyAbort(runId, workflows, workflowName))
  }

  private async applyAbort(runId: string, workflows: WorkflowLookup, workflowName: string | undefined): Promise<void> {
    await this.lock.run(runId, async () => {
      const local = this.live.get(runId)
      if (local) {
        // Checked here too: a request naming another workflow than the run's must not reach it.
        await this.requireRun(runId, workflowName)
        return local.abort()
      }
      if ((await this.abortStoredRun(runId, workflows, workflowName)) !== 'requested') return
      // The executor looks for requests up to the moment its pause is
      // recorded; if the run has paused since this process saw it running,
      // the request may have come after that look: the paused run is ours to abort.
      if ((await this.store.getRun(runId))?.status === 'paused') await this.abortStoredRun(runId, workflows, workflowName)
    })
  }

  /**
   * Aborts a run this process does not execute: a paused one by rebuilding
   * it, a running one by asking its executor (`'requested'`). Caller holds the lock.
   */
  private async abortStoredRun(runId: string, workflows: WorkflowLookup, workflowName: string | undefined): Promise<'ended' | 'requested'> {
    return this.withPausedRun<'ended' | 'requested'>(runId, workflowName, workflows, async (record) => {
      if (record.status === 'aborted') return { done: 'ended' }
      if (record.status === 'finished' || record.status === 'failed') {
        throw new WorkflowRequestError('run_not_paused', `The run has already ${record.status === 'finished' ? 'finished' : 'failed'}`)
      }
      if (record.status === 'running') {
        // Executed by another process: it sees the request at its next lease renewal, or as it pauses.
        await this.store.requestAbort(runId)
        return { done: 'requested' }
      }
      return {
        apply: async (execution) => {
          await execution.abort()
          return 'ended'
        },
      }
    }).catch((error: unknown) => {
      // Rebuilding the run to abort it ended the run otherwise (or aborted it already): it has ended either way.
      if (!(error instanceof EndedInstead)) throw error
      return 'ended'
    })
  }

  /**
   * Runs `decide` on the run's record; if it asks to apply something to the
   * paused run, takes the lease, rebuilds the run by replay and applies it.
   * The record is read again once the lease is held: another process may
   * have applied a decision in between. Caller holds the in-process lock.
   */
  private async withPausedRun<T>(
    runId: string,
    workflowName: string | undefined,
    workflows: WorkflowLookup,
    decide: (record: RunRecord) => Promise<{ done: T } | { apply: (execution: RunExecution) => Promise<T> }>,
  ): Promise<T> {
    let record = await this.requireRun(runId, workflowName)
    if (record.status === 'running') {
      await this.settleIfOrphaned(runId)
      record = await this.requireRun(runId, workflowName)
    }
    const deadline = Date.now() + 2 * this.store.leaseTtlMs
    for (;;) {
      const decision = await decide(record)
      if ('done' in decision) return decision.done
      const owner = this.leaseOwner()
      if (await this.store.acquireLease(runId, owner)) {
        const current = await this.releasingOnFailure(runId, owner, () => this.requireRun(runId, workflowName))
        if (changedSince(record, current)) {
          // Changed while we waited for the lease: decide again on what is there now.
          await this.store.releaseLease(runId, owner)
          record = current
          continue
        }
        const execution = await this.restore(current, workflows(current.workflow), owner)
        if (await execution.abortRequested()) {
          // The abort came first (sent while the run was still running): it ends the run instead of this decision.
          await execution.abort()
          throw new EndedInstead((await this.store.getRun(runId))?.segmentStarts.at(-1) ?? 0)
        }
        return decision.apply(execution)
      }
      // Someone is applying a decision or settling this run right now; it is quick.
      if (Date.now() > deadline) throw notPaused(record)
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS))
      record = await this.requireRun(runId, workflowName)
    }
  }

  /** Rebuilds a paused run whose lease this process holds under `owner`; the execution then owns the lease. */
  private async restore(record: RunRecord, served: ServedWorkflow | undefined, owner: string): Promise<RunExecution> {
    if (!served) {
      await this.store.releaseLease(record.runId, owner)
      throw new WorkflowError('internal', `This server does not serve workflow "${record.workflow}"`)
    }
    // A journal the store fails to hand over is the store's failure, not the run's: the run stays paused.
    const steps = await this.releasingOnFailure(record.runId, owner, () => this.store.readSteps(record.runId))
    this.clearDeadline(record.runId)
    const execution = this.execution(record.runId, served, owner)
    try {
      await execution.restore(record.input, new ReplayJournal(steps))
    } catch (error) {
      // The run failed in a segment of its own (nondeterministic replay); readers see that segment.
      throw new ReplayFailed(error, (await this.store.getRun(record.runId))?.segmentStarts.at(-1) ?? 0)
    }
    return execution
  }

  /**
   * Runs `work` while holding a run's lease no execution owns yet, and lets
   * go of the lease if it fails (a store error), so the run is not held up
   * until the lease expires; the error goes on to the request.
   */
  private async releasingOnFailure<T>(runId: string, owner: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      await this.store.releaseLease(runId, owner).catch(() => {})
      throw error
    }
  }

  /** A lease owner token for one taking of a run's lease: this process's id and a suffix no other taking shares. */
  private leaseOwner(): string {
    return `${this.processId}:${crypto.randomUUID()}`
  }

  /** An execution of a run whose lease was just taken under `owner`. */
  private execution(runId: string, served: ServedWorkflow, owner: string): RunExecution {
    const execution = new RunExecution(runId, served.definition, {
      store: this.store,
      lock: this.lock,
      owner,
      errors: new ClientErrors(served.wording, { runId, workflow: served.name }),
      release: (id) => {
        if (this.live.get(id) === execution) this.live.delete(id)
      },
      unsettled: (id) => this.settleOnceStoreAnswers(id),
      paused: (id, pending) => this.armDeadline(id, pending, served),
      // Whatever became of the run since (paused, rebuilt here or elsewhere), the request is for the run, not this execution.
      abortRequested: (id) => void this.abort(id, () => served).catch(() => {}),
    })
    this.live.set(runId, execution)
    return execution
  }

  /**
   * If the run is `running` but no process holds its lease, its executor
   * died: take the lease and end the run with `RUN_ERROR executor_lost`, so
   * every reader settles. Safe to call from any process, any number of times.
   */
  async settleIfOrphaned(runId: string): Promise<void> {
    if (this.live.has(runId)) return
    const record = await this.store.getRun(runId)
    if (record?.status !== 'running') return
    const owner = this.leaseOwner()
    if (!(await this.store.acquireLease(runId, owner))) return
    try {
      await settleLostRun(this.store, runId, owner)
    } finally {
      await this.store.releaseLease(runId, owner)
    }
  }

  /**
   * Settles a run an execution here left `running` when the store refused
   * its writes. Nobody may be reading the run (a reader's watchdog would
   * settle it), so this process tries, at the lease renewal pace, until the
   * run is no longer running: the store may refuse for a while, and the
   * lease given up may outlive the refusal that kept it from being released.
   * A run another process took up meanwhile holds its lease, so it is only
   * looked at until it ends.
   */
  private settleOnceStoreAnswers(runId: string): void {
    const timer = setTimeout(() => {
      void this.settleIfOrphaned(runId)
        .then(async () => !this.live.has(runId) && (await this.store.getRun(runId))?.status === 'running')
        .catch(() => true)
        .then((stillRunning) => stillRunning && this.settleOnceStoreAnswers(runId))
    }, this.store.leaseTtlMs / 3)
    // Like a deadline, it must not keep the process alive; a reader that comes by settles the run too.
    if (typeof timer === 'object' && 'unref' in timer) timer.unref()
  }

  /** `notBeforeMs`: wait at least this long, even for a deadline that has passed (a retry). */
  private armDeadline(runId: string, pending: PendingInput, served: ServedWorkflow, notBeforeMs = 0): void {
    if (pending.kind !== 'signal' || pending.deadline === undefined) return
    this.clearDeadline(runId)
    const at = Date.parse(pending.deadline)
    const timer = setTimeout(
      () => {
        this.deadlines.delete(runId)
        if (Date.now() < at) return this.armDeadline(runId, pending, served)
        void this.wakeAtDeadline(runId, pending, served)
      },
      Math.min(Math.max(notBeforeMs, at - Date.now()), MAX_TIMER_MS),
    )
    // A pending deadline must not keep the process alive; after a restart the next request on the run fires it.
    if (typeof timer === 'object' && 'unref' in timer) timer.unref()
    this.deadlines.set(runId, timer)
  }

  /**
   * Fires the deadline a timer was armed for. Nobody may be watching the
   * run, so a store that fails meanwhile (a lost connection) must not leave
   * it asleep until some request touches it: the timer is armed again, at
   * the pace leases are renewed, until the store answers. A retry that finds
   * the run gone, or no longer waiting for a passed deadline, does nothing.
   */
  private async wakeAtDeadline(runId: string, pending: PendingInput, served: ServedWorkflow): Promise<void> {
    try {
      const record = await this.store.getRun(runId)
      if (record) await this.fireDeadlineIfDue(record, () => served)
    } catch {
      // A timer armed since (the run paused again) has the newer deadline.
      if (!this.deadlines.has(runId)) this.armDeadline(runId, pending, served, this.store.leaseTtlMs / 3)
    }
  }

  /** For a request: a deadline it cannot fire now (the store failing) is the timer's to retry, not the request's failure. */
  private async fireDeadlineBeforeRequest(record: RunRecord, workflows: WorkflowLookup): Promise<void> {
    await this.fireDeadlineIfDue(record, workflows).catch(() => {})
  }

  private clearDeadline(runId: string): void {
    const timer = this.deadlines.get(runId)
    if (timer) clearTimeout(timer)
    this.deadlines.delete(runId)
  }

  /** A paused run whose signal deadline has passed wakes (sleep) or fails (timeout), whichever process notices first. */
  private async fireDeadlineIfDue(record: RunRecord, workflows: WorkflowLookup): Promise<void> {
    const deadline = record.pending?.kind === 'signal' ? record.pending.deadline : undefined
    if (record.status !== 'paused' || deadline === undefined || Date.parse(deadline) > Date.now()) return
    const expected = record.pending
    await this.lock
      .run(record.runId, () =>
        this.withPausedRun(record.runId, undefined, workflows, async (current) => {
          if (current.status !== 'paused' || JSON.stringify(current.pending) !== JSON.stringify(expected)) return { done: undefined }
          return { apply: (execution) => execution.deadlinePassed() }
        }),
      )
  }

  /** Resume semantics: from `startIndex` (negative counts from the tail) to the end of the tail's segment. */
  private async replayPlan(runId: string, startIndex: number): Promise<ReadPlan> {
    const tail = await this.store.lastIndex(runId)
    const fromIndex = startIndex < 0 ? Math.max(0, tail + startIndex + 1) : startIndex
    return this.plan(runId, fromIndex, tail)
  }

  /** Readers of a running run also watch for a dead executor, and for the run being deleted, so their clients settle. */
  private plan(runId: string, fromIndex: number, endAfterTerminalFrom: number): ReadPlan {
    return {
      runId,
      fromIndex,
      endAfterTerminalFrom,
      watchdog: async () => {
        await this.settleIfOrphaned(runId)
        return (await this.store.getRun(runId)) !== undefined
      },
      onRunDeleted: (end) => {
        const ends = this.readers.get(runId) ?? new Set()
        ends.add(end)
        this.readers.set(runId, ends)
        return () => {
          ends.delete(end)
          if (ends.size === 0 && this.readers.get(runId) === ends) this.readers.delete(runId)
        }
      },
    }
  }

  private async requireRun(runId: string, workflowName: string | undefined): Promise<RunRecord> {
    const record = await this.store.getRun(runId)
    if (!record || (workflowName !== undefined && record.workflow !== workflowName)) throw runNotFound()
    return record
  }

  /**
   * Runs an action on an existing run. The store may drop the run (its ttl
   * ran out, deleteRun) after the action found it: the store then refuses
   * the action's writes, or the drop ends the execution the action was
   * applying a decision to. Either way the action failed because the run is
   * gone, which the client hears as `run_not_found`, as if it had come a
   * moment later, and not as the server failing.
   */
  private async unlessDropped<T>(runId: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      if (error instanceof WorkflowRequestError || !(await this.isGone(runId))) throw error
      throw runNotFound()
    }
  }

  /** `false` when the store cannot tell: the error the action met is then the one to report. */
  private async isGone(runId: string): Promise<boolean> {
    try {
      return (await this.store.getRun(runId)) === undefined
    } catch {
      return false
    }
  }
}

/** Rebuilding a paused run to apply a decision ended it instead, in a segment of its own that the caller streams. */
export class EndedInstead extends Error {
  constructor(readonly segmentStart: number) {
    super('The run ended instead')
  }
}

/** Replay diverged while applying a decision: the run failed. */
export class ReplayFailed extends EndedInstead {
  constructor(
    readonly error: unknown,
    segmentStart: number,
  ) {
    super(segmentStart)
  }
}

function notPaused(record: RunRecord): WorkflowRequestError {
  return new WorkflowRequestError('run_not_paused', `The run is ${record.status}, not paused`)
}

const engines = new WeakMap<RunStore, Engine>()

/** One engine per store, so every handler and `runWorkflow` call sharing a store sees the same live runs. */
export function engineFor(store: RunStore): Engine {
  let engine = engines.get(store)
  if (!engine) {
    engine = new Engine(store)
    engines.set(store, engine)
  }
  return engine
}

/**
 * Whether a run moved on between two reads of its record. Time and status
 * alone miss a run answered and paused again within one millisecond (by
 * another process): its new segment tells.
 */
function changedSince(before: RunRecord, now: RunRecord): boolean {
  return now.updatedAt !== before.updatedAt || now.status !== before.status || now.segmentStarts.length !== before.segmentStarts.length
}
