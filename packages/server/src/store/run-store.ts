/**
 * The boundary between the engine and persistence. The engine only ever talks
 * to this interface, so another backend (e.g. Redis Streams: XADD/XRANGE for
 * the log, a hash for the record, pub/sub or XREAD BLOCK for subscriptions)
 * can replace the in-memory store without touching the engine.
 */
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'

export type RunStatus = 'running' | 'paused' | 'finished' | 'failed' | 'aborted'

/** What a paused run is waiting for. */
export type PendingInput =
  | { kind: 'approval'; approvalId: string; title: string; description?: string }
  | { kind: 'signal'; signalName: string; deadline?: string; meta?: unknown }

/** A decision that resumed the run, kept so a re-send is recognised as a retry. */
export type AppliedDecision =
  | { kind: 'approval'; approvalId: string; approved: boolean; feedback?: string; segmentStart: number }
  | { kind: 'signal'; signalId: string; signalName: string; segmentStart: number }

/** Everything the engine needs to know about a run besides its events. Plain JSON. */
export interface RunRecord {
  runId: string
  /** Name under which the workflow is served. */
  workflow: string
  status: RunStatus
  /** Hash of the start request's workflow and input: same fingerprint = idempotent retry. */
  inputFingerprint: string
  pending?: PendingInput
  applied: AppliedDecision[]
  /** Index of the `RUN_STARTED` of every segment, in order. */
  segmentStarts: number[]
  createdAt: number
  updatedAt: number
}

export type Unsubscribe = () => void

export interface RunStore {
  /** Stores a new run; resolves `false` (and changes nothing) if the id is taken. Must be atomic. */
  createRun(record: RunRecord): Promise<boolean>
  getRun(runId: string): Promise<RunRecord | undefined>
  /** Replaces the record of an existing run. */
  setRun(record: RunRecord): Promise<void>
  /** Appends to the run's log; resolves to the event's absolute index (0, 1, 2, …). */
  append(runId: string, event: WorkflowEvent): Promise<number>
  /** Events with `index >= fromIndex`, in order (empty when there are none). */
  read(runId: string, fromIndex: number): Promise<IndexedEvent[]>
  /** Index of the last event, `-1` for an empty or unknown log. */
  lastIndex(runId: string): Promise<number>
  /**
   * Calls `listener` for every event appended after the returned promise
   * resolves, in order. Readers subscribe first and then `read`, dropping
   * duplicates by index, so no event falls between the two.
   */
  subscribe(runId: string, listener: (event: IndexedEvent) => void): Promise<Unsubscribe>
  /** Drops the run: record, log and subscriptions. */
  deleteRun(runId: string): Promise<void>
  /**
   * Optional: tells the engine a run was dropped (e.g. by TTL) so it can
   * release the run's in-memory execution.
   */
  onRunDeleted?(listener: (runId: string) => void): Unsubscribe
}
