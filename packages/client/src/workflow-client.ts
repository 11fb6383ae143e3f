import { Store } from '@tanstack/store'
import { HEADERS, isTerminalEvent } from '@stepstream/protocol'
import { backoffDelay, MAX_TIMER_MS, reconnectPolicy, settledWithin, sleep } from './backoff.js'
import type { StartArguments, WorkflowClientOptions } from './client-options.js'
import { answerOf, errorFromResponse, isRetryable, notAnEventStream, retryAfterMs } from './connection.js'
import { DeadlineLook } from './deadline-look.js'
import { WorkflowError, WorkflowUsageError, type WorkflowErrorInfo } from './errors.js'
import { frameIndex, parseFrame, readEventStream, type SseFrame } from './event-stream.js'
import { ThrottledPublisher } from './publisher.js'
import { reduceWorkflowEvent, type WireEvent } from './reducer.js'
import { validateWithSchema } from './schema.js'
import { FatalStreamError, RebuildRequested, type PendingRequest, type RunBefore, type Session } from './session.js'
import { initialWorkflowState, type WorkflowClientState } from './state.js'

const DEFAULT_IDLE_TIMEOUT_MS = 45_000
const MAX_SERVER_RETRY_MS = 60_000

function newRunId(): string {
  return globalThis.crypto.randomUUID()
}

/**
 * PROTOCOL §4 bodies are JSON. A value JSON cannot carry (a cycle, a BigInt;
 * the click event `onClick={start}` passes) fails inside the connection like
 * a network error, so it would be retried and end as connection_lost.
 */
function assertJson(value: unknown, what: string): void {
  try {
    JSON.stringify(value)
  } catch (error) {
    throw new WorkflowUsageError('not_json', `${what} cannot be sent as JSON: ${(error as Error).message}`)
  }
}

function noop(): void {}

function logThrown(error: unknown): void {
  console.error('[stepstream] a callback threw:', error)
}

/**
 * A headless client for one workflow run at a time: sends actions, reads the
 * SSE answer, folds events into `WorkflowClientState` with the pure reducer,
 * and resumes a dropped stream from its cursor so each event is applied
 * exactly once. UI adapters subscribe to `store`.
 */
export class WorkflowClient<TInput = unknown, TOutput = unknown, TState = unknown> {
  /** The state as a `@tanstack/store` Store, for selectors and adapters. */
  readonly store: Store<WorkflowClientState<TOutput, TState>>

  #options: WorkflowClientOptions<TInput, TOutput, TState>
  /** The state as events are applied; `store` receives it when published. */
  #working: WorkflowClientState<TOutput, TState> = initialWorkflowState()
  #session: Session | undefined
  readonly #publisher: ThrottledPublisher
  readonly #listeners = new Set<() => void>()
  /** The last applied event ends a connection (terminal, or a pause announcement). */
  #settled = false
  /** The last applied event ends its segment: nothing can follow it on that connection, so a failing stream lost nothing. */
  #lastWasTerminal = false
  #rebuiltRunId: string | null = null
  /** While a rebuild replays the log: readers keep the newer state they saw until the replay passes this index. */
  #replayUntil = -1
  /** Attached from a cursor past the run's start: no base to patch a delta on until a snapshot arrives (or a replay from 0). */
  #joinedMidRun = false
  /** The highest index passed to the callbacks: a rebuild replays the log, the app must not get it twice. */
  #notifiedIndex = -1
  #statusChanged = false
  /** Aborted by dispose(): ends what the client still does by itself (an abort's retries). */
  readonly #disposal = new AbortController()
  // resume() rejects only on misuse, impossible here: the run exists and dispose() cancels the look.
  readonly #deadlineLook = new DeadlineLook(
    () => this.#working.status === 'paused',
    () => void this.resume().catch(noop),
  )

  constructor(options: WorkflowClientOptions<TInput, TOutput, TState>) {
    this.#options = options
    this.store = new Store(this.#working)
    this.#publisher = new ThrottledPublisher(() => this.#publishNow(), options.throttleMs ?? 0)
  }

  /** The current state (the same as `store.state`). */
  get state(): WorkflowClientState<TOutput, TState> {
    return this.store.state
  }

  /** Replaces the options in place (adapters pass the latest callbacks on every render). */
  setOptions(options: WorkflowClientOptions<TInput, TOutput, TState>): void {
    this.#options = options
    this.#publisher.setThrottle(options.throttleMs ?? 0)
  }

  /** Calls `listener` with each new state (not with the current one: read `state` for that); returns the unsubscribe function. */
  subscribe(listener: (state: WorkflowClientState<TOutput, TState>) => void): () => void {
    // Listeners run inside the store's publish, i.e. inside an action or the read loop.
    const subscription = this.store.subscribe(() => this.#safely(() => listener(this.store.state)))
    const unsubscribe = () => {
      subscription.unsubscribe()
      this.#listeners.delete(unsubscribe)
    }
    this.#listeners.add(unsubscribe)
    return unsubscribe
  }

  /** Starts a run; settles with the state once it pauses or ends. The run id is made here unless `options.runId` gives one, so a retried start is idempotent. */
  async start(...[input, options = {}]: StartArguments<TInput>): Promise<WorkflowClientState<TOutput, TState>> {
    this.#assertUsable()
    assertJson(input, 'start() input')
    const runId = options.runId ?? newRunId()
    this.#replaceState({ ...initialWorkflowState(), runId, status: 'running', connection: 'connecting' })
    const session = this.#beginSession()
    if (this.#options.validate && this.#options.input) {
      const checked = await validateWithSchema(this.#options.input, input)
      if (!checked.ok) return this.#fail(session, new WorkflowError('invalid_input', checked.message))
    }
    // The start action is keyed on `input` (PROTOCOL §4) and JSON drops an undefined field: no input goes as null.
    return this.#connect(session, { action: 'start', body: { input: input ?? null, runId } })
  }

  /** Answers the pending approval; settles once the run pauses again or ends. Rejects with `no_pending_approval` when there is none. */
  async approve(approved: boolean, feedback?: string): Promise<WorkflowClientState<TOutput, TState>> {
    this.#assertUsable()
    this.#abandonReplay()
    const { runId, pendingApproval } = this.#working
    if (!runId || !pendingApproval) throw new WorkflowUsageError('no_pending_approval', 'approve() needs a pending approval')
    const approval = { approvalId: pendingApproval.approvalId, approved, ...(feedback === undefined ? {} : { feedback }) }
    return this.#act({ action: 'approve', body: { runId, approval } })
  }

  /** Sends a signal to the run (by default `signalId` names the pause this client sees, so a repeat is an idempotent retry); settles once the run pauses again or ends. */
  async signal(name: string, payload?: unknown, options: { signalId?: string } = {}): Promise<WorkflowClientState<TOutput, TState>> {
    this.#assertUsable()
    this.#abandonReplay()
    const { runId, lastEventIndex } = this.#working
    if (!runId) throw new WorkflowUsageError('no_run', 'signal() needs a run; start or attach first')
    assertJson(payload, 'signal() payload')
    // Named after the pause this client sees, so signalling it again (a double click) is the
    // server's idempotent retry of the first signal, as approve() is, not a rejected second one.
    const signalId = options.signalId ?? `${name}@${lastEventIndex}`
    const signal = { signalId, name, ...(payload === undefined ? {} : { payload }) }
    return this.#act({ action: 'signal', body: { runId, signal } })
  }

  /**
   * Follows an existing run (e.g. after a page reload), replaying its log
   * from `startIndex`; a negative one counts from the log's end (`-k`: the
   * last k events), and the events' ids then set the cursor.
   */
  async attach(runId: string, options: { startIndex?: number } = {}): Promise<WorkflowClientState<TOutput, TState>> {
    this.#assertUsable()
    const startIndex = options.startIndex ?? 0
    // NaN (a cursor never stored) would become the cursor, and no server takes it.
    if (!Number.isSafeInteger(startIndex)) throw new WorkflowUsageError('invalid_start_index', `attach() needs an integer startIndex, got ${startIndex}`)
    this.#replaceState({ ...initialWorkflowState(), runId, connection: 'connecting', lastEventIndex: Math.max(0, startIndex) - 1 })
    this.#joinedMidRun = startIndex !== 0
    const session = this.#beginSession()
    return this.#connect(session, { action: 'resume', body: { runId, startIndex } })
  }

  /** Reconnects to the current run from the cursor (after `disconnect()` or a lost connection). */
  async resume(): Promise<WorkflowClientState<TOutput, TState>> {
    this.#assertUsable()
    if (!this.#working.runId) throw new WorkflowUsageError('no_run', 'resume() needs a run; start or attach first')
    return this.#reconnect()
  }

  /** Aborts the run on the server and stops streaming. */
  async stop(): Promise<WorkflowClientState<TOutput, TState>> {
    this.#abandonReplay()
    const { runId, status, lastEventIndex } = this.#working
    // A start stopped before its request went out made no run on the server.
    const session = this.#session
    const unsent = session !== undefined && !session.sent && lastEventIndex < 0
    // A start on its way may not have made the run yet: an abort that overtook
    // it would be refused (404) and the run, made just after, would go on.
    const starting = session && !session.answered ? session.starting : undefined
    if (session && starting) session.holdStart = true
    // An attach not answered yet has applied nothing ('idle'), but names a run that may well go on.
    const attaching = status === 'idle' && runId !== null && session !== undefined
    this.#endSession()
    const live = status === 'running' || status === 'paused' || attaching || this.#lostMidRun()
    if (!live) {
      // Nothing to abort; a client that never connected stays 'idle'.
      if (this.#working.connection !== 'idle') this.#update({ connection: 'closed' })
      return this.#working
    }
    const unstopped = this.#working
    // The end the server's RUN_ERROR gives every other reader: open steps
    // fail as aborted and nothing stays pending.
    const aborted = (this.#working = { ...reduceWorkflowEvent(this.#working, { type: 'RUN_ERROR', code: 'aborted', message: 'Run aborted', timestamp: Date.now() }), connection: 'closed' })
    // Taken before readers hear of it: one that acts on it (reset()) must not be undone below.
    this.#publisher.flush()
    if (starting) await settledWithin(starting, this.#answerWaitMs())
    const refusal = runId && !unsent ? await this.#sendAbort(runId) : undefined
    // A conflict: the run had already ended on the server (finished, failed) and
    // was never aborted. Unless something replaced this state meanwhile, show how it ended.
    if (refusal?.status === 409 && this.#working === aborted && !this.#disposal.signal.aborted) {
      this.#working = { ...unstopped, connection: 'closed' }
      return this.resume()
    }
    return this.#working
  }

  /** Closes the local connection only: the run goes on and can be resumed or attached later. */
  disconnect(): void {
    this.#abandonReplay()
    // An approve/signal nobody answered yet may or may not have reached the
    // server: the run is shown as it was, still on its pause. resume() finds
    // out (the new segment, or nothing new), and acting again is the
    // server's idempotent retry.
    const unanswered = this.#unanswered()
    this.#endSession()
    if (unanswered) {
      this.#restore(unanswered)
      this.#update({ connection: 'closed' })
    } else if (this.#working.connection !== 'idle') this.#update({ connection: 'closed' })
  }

  /** Lets go of the run (closing its connection; the run goes on) and goes back to the initial, idle state. */
  reset(): void {
    this.#abandonReplay()
    this.#endSession()
    this.#replaceState(initialWorkflowState())
  }

  /** Aborts any connection and drops every timer and listener; the client cannot be used again. */
  dispose(): void {
    // Whoever still holds the state (a shared client's other readers) sees the stream closed, not 'open' forever.
    this.disconnect()
    this.#disposal.abort()
    for (const unsubscribe of [...this.#listeners]) unsubscribe()
  }

  // ---- connection lifecycle -------------------------------------------------

  #assertUsable(): void {
    if (this.#disposal.signal.aborted) throw new WorkflowUsageError('disposed', 'This WorkflowClient was disposed')
  }

  /**
   * An action or a close ends a rebuild's replay before it caught up. Readers
   * saw more of the run than the replay reached, and that run is the one they
   * act on (approve the approval they see, stop the steps they see), so it
   * becomes the state again; the partial replay is never published.
   */
  #abandonReplay(): void {
    if (this.#working.lastEventIndex >= this.#replayUntil) return
    this.#working = this.store.state
    this.#replayUntil = -1
    this.#settled = this.#working.status !== 'running'
  }

  async #act(request: PendingRequest): Promise<WorkflowClientState<TOutput, TState>> {
    // Over an action nobody answered yet (a double click) the run is still as
    // the first one found it, not the 'running' that action shows.
    const earlier = this.#unanswered()
    const session = this.#beginSession()
    session.before = earlier ? { ...earlier, uncertain: true } : { status: this.#working.status, settled: this.#settled }
    // A new action promises new events: an old terminal event must not end it.
    this.#settled = false
    this.#update({ status: 'running', connection: 'connecting', error: null })
    return this.#connect(session, request)
  }

  /**
   * PROTOCOL §4: a refused request changes nothing, so the run is shown as it
   * was (still paused on the same approval or signal, its deadline still
   * followed) and only `error` says why the action was refused.
   */
  #refused(session: Session, before: RunBefore, error: WorkflowError): WorkflowClientState<TOutput, TState> | Promise<WorkflowClientState<TOutput, TState>> {
    if (this.#session === session) this.#session = undefined
    this.#settled = before.settled
    const refused = (this.#working = { ...this.#working, status: before.status, connection: 'closed', error: { code: error.code, message: error.message } })
    this.#publisher.flush()
    this.#report(error)
    // A reader that acted on the refusal (a subscriber or onError: reset(), another approve()) has the last word, not the follow below.
    if (this.#working !== refused) return this.#working
    // Follow the run again when the action cut the stream of a run that was
    // going on (a signal sent too early), when an action it cut may have moved
    // the run on (a double click), or on a conflict, which says the run is not
    // where this client saw it (another tab answered, it moved on to another
    // pause), or on a 2xx that was no event stream: taken, not refused, so it
    // may have counted. The refusal stays the error through the follow, unless
    // the run's new events say more: the action did not count, and a UI
    // reading only the state must still say so.
    const taken = error.status !== undefined && error.status < 300
    if (before.status === 'running' || before.uncertain || error.status === 409 || taken) return this.#reconnect(this.#working.error ?? undefined)
    this.#deadlineLook.schedule()
    return this.#working
  }

  /**
   * Follows the run again from the cursor. `refusal`, the answer to an action
   * that did not count, stays the error through it; any other error that was
   * only a connection's goes, and a run's own RUN_ERROR stands.
   */
  #reconnect(refusal?: WorkflowErrorInfo): Promise<WorkflowClientState<TOutput, TState>> {
    // An approve/signal it cuts before any answer is cut as disconnect() cuts
    // it: back on its pause, so finding nothing new is complete, not a drop.
    const unanswered = this.#unanswered()
    const session = this.#beginSession()
    session.refusal = refusal
    if (unanswered) this.#restore(unanswered)
    // After a lost connection the run goes on.
    const { status, error } = this.#working
    if (this.#lostMidRun()) this.#update({ connection: 'connecting', status: 'running', error: refusal ?? null })
    else this.#update({ connection: 'connecting', error: status === 'error' ? error : (refusal ?? null) })
    return this.#connect(session, this.#fromCursor())
  }

  /** PROTOCOL §5: following the run again asks for what comes after the last applied event. */
  #fromCursor(): PendingRequest {
    const { runId, lastEventIndex } = this.#working
    return { action: 'resume', body: { runId, startIndex: lastEventIndex + 1 } }
  }

  /** The run as it was before an approve/signal nobody answered yet: it may or may not have reached the server. */
  #unanswered(): RunBefore | undefined {
    return this.#session && !this.#session.answered ? this.#session.before : undefined
  }

  #restore(before: RunBefore): void {
    this.#settled = before.settled
    this.#working = { ...this.#working, status: before.status }
  }

  #beginSession(): Session {
    this.#endSession()
    const session: Session = { controller: new AbortController(), sent: false, answered: false, retryMs: undefined }
    this.#session = session
    return session
  }

  #endSession(): void {
    this.#deadlineLook.cancel()
    // No longer current before its abort listeners run, so a session is current exactly while it is `#session`.
    const ended = this.#session
    this.#session = undefined
    ended?.controller.abort()
    this.#publisher.flush()
  }

  /** The status says 'error' for this client's lost connection (no pause or end applied), not for the run: it likely goes on. */
  #lostMidRun(): boolean {
    return this.#working.status === 'error' && !this.#settled
  }

  #isCurrent(session: Session): boolean {
    // Read for every frame: an identity check, not the abort signal's getter.
    return this.#session === session
  }

  /**
   * The attempt loop of PROTOCOL §5: send, read to the end, and on a drop
   * resume from `lastEventIndex + 1` with backoff until the run's connection
   * is complete, the budget is spent, or the session is superseded.
   */
  async #connect(session: Session, first: PendingRequest): Promise<WorkflowClientState<TOutput, TState>> {
    let request = first
    let failures = 0
    while (this.#isCurrent(session)) {
      let delivered = 0
      let failure: WorkflowError | undefined
      try {
        delivered = await this.#attempt(session, request, (count) => (delivered += count))
        if (!this.#isCurrent(session)) break
        if (this.#settled) return this.#complete(session)
        failure = new WorkflowError('connection_lost', 'The stream ended before the run reached a pause or an end')
      } catch (error) {
        if (error instanceof RebuildRequested) {
          request = { action: 'resume', body: { runId: this.#working.runId, startIndex: 0 } }
          failures = 0
          continue
        }
        if (!this.#isCurrent(session)) break
        if (error instanceof FatalStreamError) return this.#fail(session, error.failure, !error.reported)
        // PROTOCOL §5: complete once its last applied event is terminal, however the stream then ends (a reset, not a clean close).
        if (delivered > 0 && this.#lastWasTerminal) return this.#complete(session)
        if (error instanceof WorkflowError && !isRetryable(error)) {
          // An HTTP refusal of the action itself, not a failure of its stream.
          if (session.before && !session.answered && error.status !== undefined) return this.#refused(session, session.before, error)
          // A refused start made no run (PROTOCOL §4): nothing goes on for stop() to abort (on a run_id_conflict, the run holding the id).
          const failed = this.#fail(session, error)
          if (request.action === 'start' && (error.status ?? 0) >= 400) this.#settled = true
          return failed
        }
        failure = error instanceof WorkflowError ? error : new WorkflowError('connection_lost', String((error as Error)?.message ?? error), { cause: error })
      }
      if (delivered > 0) failures = 0
      failures += 1
      const wait = this.#retryWait(failures)
      if (wait === undefined) {
        // An approve/signal never answered may not have reached the server: as
        // disconnect() does, show the run as it was, so resume() finds out.
        const unanswered = this.#unanswered()
        if (unanswered) this.#restore(unanswered)
        const failed = this.#fail(session, new WorkflowError('connection_lost', `Connection lost: ${failure.message}`, { cause: failure }))
        // Back on its pause, the run still has its deadline followed, as after a refused action
        // (a failed deadline look itself is not repeated: it already reported the lost connection).
        if (unanswered) this.#deadlineLook.schedule()
        return failed
      }
      this.#update({ connection: 'reconnecting' })
      // The server's `retry:` and `Retry-After` are its explicit wishes: never reconnect sooner.
      await sleep(Math.max(session.retryMs ?? 0, session.retryAfterMs ?? 0, wait), session.controller.signal)
      session.retryAfterMs = undefined
      // The cursor follows the last applied event; before any, an attach from the end (-k) asks for the same last k.
      const fromEnd = request.action === 'resume' && Number(request.body.startIndex) < 0 && this.#working.lastEventIndex < 0
      if (session.answered && this.#working.runId && !fromEnd) {
        request = this.#fromCursor()
      }
    }
    return this.#working
  }

  /**
   * The idle timeout in whole ms a timer can wait (0 or less disables it). A
   * longer one, such as Infinity for "never", would overflow setTimeout and
   * fire at once, dropping every connection, and make AbortSignal.timeout throw.
   */
  #idleTimeoutMs(): number {
    const { idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS } = this.#options
    // NaN (a setting read as a number that was none) takes the default: a timer given NaN fires at once.
    return Number.isNaN(idleTimeoutMs) ? DEFAULT_IDLE_TIMEOUT_MS : Math.min(Math.ceil(idleTimeoutMs), MAX_TIMER_MS)
  }

  /** The backoff before retry number `failures` (from 1), or undefined when retrying is off or the budget is spent. */
  #retryWait(failures: number): number | undefined {
    const { reconnect } = this.#options
    const policy = reconnectPolicy(reconnect || undefined)
    return reconnect === false || failures > policy.maxAttempts ? undefined : backoffDelay(failures, policy)
  }

  /** How long stop() waits for an answer: a server that never answers must not leave its promise pending forever. */
  #answerWaitMs(): number {
    const idleMs = this.#idleTimeoutMs()
    return idleMs > 0 ? idleMs : DEFAULT_IDLE_TIMEOUT_MS
  }

  /** One HTTP exchange. Resolves at EOF; throws on errors, drops and idle timeouts. */
  async #attempt(session: Session, request: PendingRequest, onEvents: (count: number) => void): Promise<number> {
    const attempt = new AbortController()
    // A stopped start's request is left out until answered (see stop()); the late answer is then released below.
    const abortAttempt = () => session.holdStart || attempt.abort(session.controller.signal.reason)
    session.controller.signal.addEventListener('abort', abortAttempt, { once: true })
    const idleMs = this.#idleTimeoutMs()
    let idleTimer: ReturnType<typeof setTimeout> | undefined
    const armWatchdog = () => {
      if (idleMs <= 0) return
      clearTimeout(idleTimer)
      idleTimer = setTimeout(() => attempt.abort(new WorkflowError('connection_lost', `No data for ${idleMs} ms`)), idleMs)
    }
    let delivered = 0
    try {
      armWatchdog()
      const body = { ...this.#options.body, ...request.body }
      session.sent = true
      const sending = this.#options.connection.send({ action: request.action, body, signal: attempt.signal })
      if (request.action === 'start') session.starting = sending
      const response = await answerOf(sending, attempt.signal)
      if (!this.#isCurrent(session)) {
        // A connection that ignores the abort signal still hands over a live
        // body (and the server a live stream): nobody else will release it.
        void response.body?.cancel().catch(() => {})
        return delivered
      }
      if (!response.ok) {
        // A busy server's explicit wish (a 503 or 429 with Retry-After), bounded like `retry:`.
        const wait = retryAfterMs(response)
        if (wait !== undefined) session.retryAfterMs = Math.min(wait, MAX_SERVER_RETRY_MS)
        throw await errorFromResponse(response)
      }
      const notSse = notAnEventStream(response)
      if (notSse) throw notSse
      session.answered = true
      const runId = response.headers.get(HEADERS.runId)
      this.#update({ connection: 'open', ...(runId && !this.#working.runId ? { runId } : {}) })
      if (!response.body) return delivered
      const frames: SseFrame[] = []
      await readEventStream(response.body, attempt.signal, {
        onFrame: (frame) => frames.push(frame),
        onChunk: () => {
          armWatchdog()
          if (!this.#isCurrent(session)) return
          const applied = this.#applyChunk(session, frames)
          frames.length = 0
          delivered += applied
          onEvents(applied)
          if (this.#statusChanged) this.#publisher.flush()
          else this.#publisher.request()
          this.#statusChanged = false
        },
        onRetry: (ms) => {
          // Honoured, but bounded: a misconfigured proxy must not park the
          // client in 'reconnecting' for hours.
          session.retryMs = Math.min(ms, MAX_SERVER_RETRY_MS)
        },
      })
      return delivered
    } catch (error) {
      if (attempt.signal.reason instanceof WorkflowError) throw attempt.signal.reason
      throw error
    } finally {
      clearTimeout(idleTimer)
      session.controller.signal.removeEventListener('abort', abortAttempt)
      if (!attempt.signal.aborted) attempt.abort()
    }
  }

  /**
   * Applies the frames of one network chunk; returns how many were new
   * events. Consecutive text deltas of one message are folded into a single
   * reducer step: the chunk publishes one state anyway, and this keeps a
   * token stream's cost close to that of parsing it.
   */
  #applyChunk(session: Session, frames: readonly SseFrame[]): number {
    let applied = 0
    let text: { event: WireEvent & { delta: string }; index: number } | undefined
    const flushText = () => {
      if (text && this.#isCurrent(session)) this.#apply(text.event, text.index)
      text = undefined
    }
    for (const frame of frames) {
      // A callback (onEvent, onError) may have stopped, reset or replaced this
      // connection: the rest of its chunk is as late as any superseded event.
      if (!this.#isCurrent(session)) break
      const cursor = text?.index ?? this.#working.lastEventIndex
      const id = frameIndex(frame)
      const index = id ?? cursor + 1
      // Overlapping replays re-send events this client already applied.
      if (index <= cursor) continue
      // Exactly once means none skipped either: an action's answer starts at its new segment, past
      // events the stream it cut had not brought yet. A drop, so they are asked for from the cursor.
      // (A malformed frame is skipped, not missing: it counts as heard. Over a pause it saw, only the
      // segment's terminal event can be missing, which says nothing new: not worth a request.)
      const heard = Math.max(cursor, this.#notifiedIndex)
      if (cursor >= 0 && index > heard + 1 && !session.before?.settled) throw new WorkflowError('connection_lost', `Events ${heard + 1} to ${index - 1} never came`)
      const event = parseFrame(frame)
      if (!event) {
        // Skipped, so not below the cursor: a replay (a rebuild, a resume) sends it again, already reported.
        if (index > this.#notifiedIndex) this.#report(new WorkflowError('malformed_event', `Event ${frame.id ?? '(no id)'} is not a JSON object with a string "type"`))
        if (id !== undefined) this.#notifiedIndex = Math.max(this.#notifiedIndex, id)
        continue
      }
      applied++
      event.timestamp ??= Date.now()
      const delta = event.type === 'TEXT_MESSAGE_CONTENT' && typeof event.delta === 'string' ? event.delta : undefined
      // What the app already heard of lands before it hears of this event, which may stop the run
      // (an app that hears every token may stop on one: the tokens folded so far land first).
      if (delta === undefined || text?.event.messageId !== event.messageId || this.#options.onEvent) flushText()
      if (index > this.#notifiedIndex) this.#notifyEvent(event, (this.#notifiedIndex = index))
      if (!this.#isCurrent(session)) break
      if (delta === undefined) this.#apply(event, index)
      else if (text) {
        text.event.delta += delta
        text.index = index
      } else text = { event: { ...event, delta }, index }
    }
    flushText()
    return applied
  }

  #apply(event: WireEvent, index: number): void {
    const before = this.#working
    let next: WorkflowClientState<TOutput, TState>
    try {
      // The reducer patches `{}` for a run seen from its start; one joined mid-run would silently diverge.
      if (this.#joinedMidRun && event.type === 'STATE_DELTA' && before.state === undefined) {
        throw new WorkflowError('state_patch_failed', 'STATE_DELTA before any snapshot of a run joined mid-run')
      }
      next = reduceWorkflowEvent(before, event)
      // Only another run starts from nothing: a new segment of this one carries over a state this client never got.
      if (next.runId !== before.runId) this.#joinedMidRun = false
    } catch (error) {
      this.#recoverFromPatchFailure(error)
    }
    // A changed state is a fresh object nobody has seen yet: set the cursor
    // on it rather than copying the whole state once more per event.
    if (next === before) next = { ...before }
    next.lastEventIndex = index
    next.error ??= this.#session?.refusal ?? null
    // Joined mid-segment, no RUN_STARTED was seen: the run's events say it is running.
    if (next.status === 'idle') next.status = 'running'
    this.#working = next
    // A pause announcement also completes a connection (servers that send
    // no RUN_FINISHED on pause): only those CUSTOM events pause a run.
    this.#lastWasTerminal = isTerminalEvent(event)
    this.#settled = this.#lastWasTerminal || (event.type === 'CUSTOM' && next.status === 'paused')
    this.#deadlineLook.noteEvent(event)
    if (before.status !== next.status) this.#onStatusChange(before)
  }

  /**
   * A delta that does not apply means this client diverged from the server.
   * Rebuild once by replaying the whole log; a second failure in the same
   * run is an error rather than a silently wrong state.
   */
  #recoverFromPatchFailure(error: unknown): never {
    const failure = error instanceof WorkflowError ? error : new WorkflowError('state_patch_failed', String(error))
    const { runId } = this.#working
    if (runId && this.#rebuiltRunId !== runId) {
      this.#rebuiltRunId = runId
      this.#replayUntil = this.store.state.lastEventIndex
      this.#joinedMidRun = false
      this.#working = { ...initialWorkflowState(), runId, status: 'running', connection: 'reconnecting' }
      this.#settled = false
      // Reported once the rebuild is under way: an onError that stops, resets or
      // disconnects acts on it (and abandons it), instead of being undone by it.
      this.#report(failure)
      throw new RebuildRequested()
    }
    this.#report(failure)
    throw new FatalStreamError(failure, true)
  }

  #notifyEvent(event: WireEvent, index: number): void {
    const { onEvent, onCustomEvent } = this.#options
    if (onEvent) this.#safely(() => onEvent(event, index))
    if (onCustomEvent && event.type === 'CUSTOM' && typeof event.name === 'string') this.#safely(() => onCustomEvent(event.name as string, event.value, event))
  }

  #onStatusChange(before: WorkflowClientState<TOutput, TState>): void {
    // A status change is news for every reader: the chunk's state is
    // published without waiting for the throttle.
    this.#statusChanged = true
    const { status, error } = this.#working
    if (status === 'error' && error && error !== before.error) this.#report(new WorkflowError(error.code, error.message))
    // After the chunk is published, so `onFinish` sees what the store holds.
    const finished = this.#working
    if (status === 'finished') queueMicrotask(() => void this.#finish(finished))
  }

  async #finish(finished: WorkflowClientState<TOutput, TState>): Promise<void> {
    // A reader may have reset or replaced the run (from onStateChange) before this runs.
    const current = () => this.#working.runId === finished.runId && this.#working.status === 'finished'
    const schema = this.#options.output
    if (this.#options.validate && schema) {
      const checked = await validateWithSchema(schema, finished.output)
      if (!current()) return
      if (!checked.ok) {
        const error = new WorkflowError('invalid_output', `The workflow output does not match its schema: ${checked.message}`)
        this.#update({ status: 'error', error: { code: error.code, message: error.message } })
        this.#report(error)
        return
      }
      this.#update({ output: checked.value })
    }
    // Then the app is still owed the output the run finished with, not the empty state that replaced it.
    const state = current() ? this.#working : finished
    this.#safely(() => this.#options.onFinish?.(state.output as TOutput, state))
  }

  #complete(session: Session): WorkflowClientState<TOutput, TState> {
    if (this.#session === session) this.#session = undefined
    this.#update({ connection: 'closed' })
    this.#deadlineLook.schedule()
    return this.#working
  }

  #fail(session: Session, error: WorkflowError, report = true): WorkflowClientState<TOutput, TState> {
    // An action superseded while it awaited (stop() during start()'s input check) has no say any more.
    if (!this.#isCurrent(session)) return this.#working
    this.#session = undefined
    const info: WorkflowErrorInfo = { code: error.code, message: error.message }
    // Following a run that reached a pause or its end (a deadline look, a
    // resume() the server refuses once the run expired) can fail only as a
    // connection: the run is still as it was, paused or finished, and a
    // run's own RUN_ERROR stays its error.
    const { status } = this.#working
    const reached = this.#settled || status === 'paused'
    this.#update({ status: reached ? status : 'error', connection: 'closed', error: reached && status === 'error' ? this.#working.error : info })
    if (report) this.#report(error)
    return this.#working
  }

  /**
   * Sends the abort; resolves with the server's refusal, if it refused. The
   * run shows stopped at once, so an abort lost to the network (offline, a
   * 5xx) is retried as a dropped stream is, lest the run go on unseen; only
   * dispose() ends the retries early.
   */
  async #sendAbort(runId: string): Promise<WorkflowError | undefined> {
    for (let failures = 1; ; failures++) {
      let failure: WorkflowError
      try {
        const signal = AbortSignal.timeout(this.#answerWaitMs())
        // Bounded by the timeout even when the connection ignores its signal.
        const response = await answerOf(this.#options.connection.send({ action: 'abort', body: { ...this.#options.body, runId, abort: true }, signal }), signal)
        if (response.ok) return void (await response.body?.cancel())
        failure = await errorFromResponse(response)
      } catch (error) {
        failure = new WorkflowError('http_error', `Abort request failed: ${String((error as Error)?.message ?? error)}`, { cause: error })
      }
      const wait = isRetryable(failure) ? this.#retryWait(failures) : undefined
      if (wait === undefined || this.#disposal.signal.aborted) {
        this.#report(failure)
        return failure
      }
      await sleep(wait, this.#disposal.signal)
      if (this.#disposal.signal.aborted) return failure
    }
  }

  // ---- state publication ----------------------------------------------------

  #update(patch: Partial<WorkflowClientState<TOutput, TState>>): void {
    this.#working = { ...this.#working, ...patch }
    this.#publisher.flush()
  }

  #replaceState(state: WorkflowClientState<TOutput, TState>): void {
    this.#deadlineLook.forget()
    // No event of the new state has been applied, so none can have ended its connection.
    this.#settled = false
    // A state built afresh (attach again from a cursor, a start) has its own one rebuild: the last one's was for a state now gone.
    this.#rebuiltRunId = null
    this.#notifiedIndex = state.lastEventIndex
    this.#replayUntil = -1
    this.#joinedMidRun = false
    this.#working = state
    this.#publisher.flush()
  }

  #publishNow(): void {
    let state = this.#working
    // Held only while the replay's session lives: a failure or an end publishes what it reached.
    if (this.#session && state.lastEventIndex < this.#replayUntil) {
      // Readers keep the run they saw, but how its connection fares is news (a replay that drops is not 'open').
      if (this.store.state.connection === state.connection) return
      state = { ...this.store.state, connection: state.connection }
    } else this.#replayUntil = -1
    if (this.store.state === state) return
    try {
      this.store.setState(() => state)
    } catch (error) {
      // A subscriber of the store's own (not one of subscribe()'s, which run safely) must not read as a dropped stream.
      logThrown(error)
    }
    // A subscriber that acted (disconnect(), approve()) published a newer state
    // from inside setState, and reported it: reporting this one now would leave
    // onStateChange's last word stale.
    if (this.store.state === state) this.#safely(() => this.#options.onStateChange?.(state))
  }

  #report(error: WorkflowError): void {
    this.#safely(() => this.#options.onError?.(error))
  }

  /**
   * A throwing user callback must not break the stream it was called from.
   * A disposed client calls none: its owner is gone (an unmounted component),
   * yet an abort's answer or a finish queued before dispose() may still come.
   */
  #safely(callback: () => void): void {
    if (this.#disposal.signal.aborted) return
    try {
      callback()
    } catch (error) {
      logThrown(error)
    }
  }
}
