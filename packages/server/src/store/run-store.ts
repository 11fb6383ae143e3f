/**
 * The boundary between the engine and persistence. The engine only ever talks
 * to this interface, so another backend (e.g. Redis Streams: XADD/XRANGE for
 * the log, a hash for the record, pub/sub or XREAD BLOCK for subscriptions)
 * can replace the in-memory store without touching the engine.
 *
 * Several processes may share one store: a lease per run makes exactly one
 * of them the executor, its writes are fenced by that lease, and the step
 * journal lets any process rebuild a paused run (durable replay).
 */
import type { IndexedEvent, StepType, WorkflowEvent } from '@stepstream/protocol'

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
  /** The start request's input, as sent: replay rebuilds the workflow from it. */
  input?: unknown
  pending?: PendingInput
  applied: AppliedDecision[]
  /** Index of the `RUN_STARTED` of every segment, in order. */
  segmentStarts: number[]
  createdAt: number
  updatedAt: number
}

export type Unsubscribe = () => void

/**
 * Options of `RunStore.subscribe`. Added after the interface was published:
 * a store written before it ignores them, which callers accept (such a
 * store's subscriptions never fail, or fail without a word, as before).
 */
export interface SubscribeOptions {
  /**
   * Called at most once, when the store can no longer deliver this
   * subscription's events though the run goes on (a Redis store whose live
   * tail keeps failing to read, say): the subscription has ended then, no
   * later event reaches the listener, and its `Unsubscribe` does nothing.
   * Events already in the log can still be read. A reader of the log ends
   * its stream on it without a terminal event, so a client resumes from its
   * cursor (PROTOCOL §5), maybe on a process that can follow the run.
   */
  onFailure?: (error: Error) => void
}

/**
 * Fencing for the executor's writes: with `lease`, the store performs the
 * write only while that owner holds the run's lease, and otherwise rejects
 * with `LeaseLostError`. A process that lost its lease (paused by GC, cut
 * off from the store) can then never write over the process that took over.
 */
export interface WriteOptions {
  lease?: string
}

/**
 * Options of `RunStore.read`. Added after the interface was published: a
 * store written before it may ignore them and return every event from
 * `fromIndex`, which callers accept (it costs memory, not correctness).
 */
export interface ReadOptions {
  /**
   * Return at most this many events (an integer, 0 for none, or `Infinity`
   * for all): the first ones from `fromIndex`. Both bundled stores refuse
   * any other limit (negative, fractional, NaN) with a `RangeError`, as
   * `readRange` (exported for other stores) reads the bounds.
   */
  limit?: number
}

/**
 * A step that ended (or a value a `now()`/`uuid()` command produced, the
 * state a body started from: `initialize`, or an orchestrator router's
 * decision: `route`, see engine/recorded-route.ts), as replay feeds it back.
 */
export interface SettledStepEntry {
  type: 'settled'
  /**
   * Position of the command: its index among the commands its body yielded,
   * after the position of the nested step that body runs in (`"3"`, `"3.0"`).
   * Per body, so a nested step answered from the journal shifts nothing after it.
   * A body's initial state and its router decisions are filed beside its
   * commands (`"initialize"`, `"route.0"`, `"3.route.1"`), not among them.
   */
  seq: string
  command: JournalCommand
  name: string
  outcome: { ok: true; value: unknown } | { ok: false; error: JournalledError }
}

/**
 * A failure as the journal keeps it (plain JSON; engine/recorded-error.ts
 * writes and reads it). Entries written before `stepName` and `cause` were
 * kept have neither.
 */
export interface JournalledError {
  name: string
  message: string
  code?: string
  /** A failed step's live name, which may be a renamed duplicate (`"writer (2)"`) of the name it is journalled under. */
  stepName?: string
  /** What the step's agent threw, and its causes, as JSON. */
  cause?: unknown
}

/** A nested workflow step began: replay re-enters it (same step id) when the run paused inside it. */
export interface StartedStepEntry {
  type: 'started'
  seq: string
  command: 'call'
  name: string
  stepId: string
}

/** The run paused at this command; the decision that resumes it is settled under the same `seq`. */
export interface PausedStepEntry {
  type: 'paused'
  seq: string
  command: 'approval' | 'signal' | 'sleep'
  name: string
  pending: PendingInput
  /**
   * Steps open (in the log) at the pause, outermost first; the next segment
   * reopens them. The last is the pause's own step (approval or signal),
   * which that segment then finishes with the decision.
   */
  suspendedSteps: Array<{ stepId: string; stepName: string; stepType: StepType }>
  /** The workflow state at the pause: the next segment's snapshot, and a determinism check for replay. */
  state: unknown
}

export type JournalCommand = 'call' | 'approval' | 'signal' | 'sleep' | 'now' | 'uuid' | 'initialize' | 'route'

/** The step journal: what the engine needs to rebuild a paused run's generator in any process. Plain JSON. */
export type StepJournalEntry = SettledStepEntry | StartedStepEntry | PausedStepEntry

/** What a lease renewal found. */
export interface LeaseRenewal {
  /** `false` once another process took the lease (or it expired): stop writing. */
  held: boolean
  /** Another process asked for this run to be aborted. */
  abortRequested: boolean
}

export interface RunStore {
  /** Stores a new run; resolves `false` (and changes nothing) if the id is taken. Must be atomic. */
  createRun(record: RunRecord): Promise<boolean>
  getRun(runId: string): Promise<RunRecord | undefined>
  /** Replaces the record of an existing run (fenced when `options.lease` is given). */
  setRun(record: RunRecord, options?: WriteOptions): Promise<void>
  /** Appends to the run's log; resolves to the event's absolute index (0, 1, 2, …). Fenced like `setRun`. */
  append(runId: string, event: WorkflowEvent, options?: WriteOptions): Promise<number>
  /**
   * Events with `index >= fromIndex`, in order (empty when there are none;
   * `fromIndex` may be negative or fractional, and NaN is a `RangeError`);
   * only the first `options.limit` of them when a limit is given, so a
   * reader can page through a long log instead of loading it whole.
   */
  read(runId: string, fromIndex: number, options?: ReadOptions): Promise<IndexedEvent[]>
  /** Index of the last event, `-1` for an empty or unknown log. */
  lastIndex(runId: string): Promise<number>
  /**
   * Calls `listener` for every event appended after the returned promise
   * resolves, in order. Readers subscribe first and then `read`, dropping
   * duplicates by index, so no event falls between the two. A store that
   * can stop being able to follow a run says so to `options.onFailure`
   * rather than leave its subscribers waiting for events it will never send.
   */
  subscribe(runId: string, listener: (event: IndexedEvent) => void, options?: SubscribeOptions): Promise<Unsubscribe>
  /** Drops the run: record, log, journal, lease and subscriptions. */
  deleteRun(runId: string): Promise<void>
  /** Appends to the run's step journal (fenced like `setRun`). */
  appendStep(runId: string, entry: StepJournalEntry, options?: WriteOptions): Promise<void>
  /** The whole journal, in append order (empty for an unknown run). */
  readSteps(runId: string): Promise<StepJournalEntry[]>
  /** How long a lease lasts unless renewed; the executor renews it every third of this. */
  readonly leaseTtlMs: number
  /**
   * Takes the exclusive right to drive a run (start, resume after a pause,
   * abort a paused run, settle a lost one). `false` if someone else holds it.
   * The lease key is independent of the run record, so it can be taken
   * before the run exists.
   */
  acquireLease(runId: string, owner: string): Promise<boolean>
  /** Extends the owner's lease; also reports abort requests for the run. */
  renewLease(runId: string, owner: string): Promise<LeaseRenewal>
  /** Gives the lease up (only if `owner` holds it). */
  releaseLease(runId: string, owner: string): Promise<void>
  /** Asks whichever process executes the run to abort it (seen at its next renewal). */
  requestAbort(runId: string): Promise<void>
  /**
   * Optional: tells the engine a run was dropped (e.g. by TTL) so it can
   * release the run's in-memory execution.
   */
  onRunDeleted?(listener: (runId: string) => void): Unsubscribe
}
