/**
 * A reader of one run's log: replays from an index, then follows live
 * appends until the segment it was asked for ends. HTTP responses are just
 * these readers; closing one releases its subscription at once, even while it
 * is waiting for the next event.
 *
 * A reader holds at most `MAX_BUFFERED_EVENTS` events, however slowly its
 * consumer drains it: it reads the log a page at a time, and lets live
 * events go while it is full, reading them back from the store once it
 * catches up. Every event has an absolute index, so nothing is lost or repeated.
 *
 * A store that can no longer follow the run (its `onFailure`) ends the
 * reader: what the log holds already still goes out, then `next()` throws
 * the store's error, which an HTTP response takes as its end without a
 * terminal event (the client resumes from its cursor).
 */
import type { IndexedEvent } from '@stepstream/protocol'
import { isTerminalEvent } from '@stepstream/protocol'
import { runNotFound } from '../errors.js'
import type { RunStore, Unsubscribe } from '../store/run-store.js'

/** Events a reader holds at most; also the page size it reads the log with. */
export const MAX_BUFFERED_EVENTS = 1_000

export interface ReadPlan {
  runId: string
  /** First index to deliver. */
  fromIndex: number
  /** The reader ends after the first terminal event at or after this index. */
  endAfterTerminalFrom: number
  /**
   * Called every lease TTL while the reader waits: settles the run if its
   * executor died (another process's, maybe), so this reader's client gets
   * a terminal event instead of waiting forever. Resolves `false` once the
   * run is gone (deleted): nothing more will come, so the reader ends.
   */
  watchdog?: () => Promise<boolean>
  /**
   * Registers `end` to run when this process deletes the run; returns its
   * unregistration. The store drops a deleted run's subscriptions without a
   * word, and the watchdog cannot tell it from a new run under the same id.
   */
  onRunDeleted?: (end: () => void) => () => void
}

export class LogReader implements AsyncIterable<IndexedEvent> {
  /** Events at or past the cursor, by index; a gap in them is read from the store. */
  private buffer: IndexedEvent[] = []
  /**
   * The store may hold events past those buffered that no live event will
   * bring: the backlog not read yet, or live events let go of while the
   * buffer was full (or, at open, before the first read).
   */
  private storeAhead = true
  private wake: (() => void) | undefined
  private unsubscribe: Unsubscribe | undefined
  /** Index of the next event to look at (delivered or not). */
  private cursor: number
  private done = false
  private endReached = false
  /** The run was deleted: nothing more will come, but what was read already still goes out. */
  private runDeleted = false
  /** Why the store stopped following the run for this reader: no live event will come. */
  private followFailure: Error | undefined
  private watchdogTimer: ReturnType<typeof setInterval> | undefined
  private forgetDeletion: (() => void) | undefined

  private constructor(
    private readonly store: RunStore,
    private readonly plan: ReadPlan,
  ) {
    // Look from the segment's floor even when delivering later, so its terminal event is never missed.
    this.cursor = Math.max(0, Math.min(plan.fromIndex, plan.endAfterTerminalFrom))
  }

  /** Subscribes first and reads second, so nothing appended in between is lost. */
  static async open(store: RunStore, plan: ReadPlan): Promise<LogReader> {
    const reader = new LogReader(store, plan)
    reader.forgetDeletion = plan.onRunDeleted?.(() => reader.endAfterBuffered())
    try {
      reader.unsubscribe = await store.subscribe(plan.runId, (event) => reader.receive(event), {
        onFailure: (error) => reader.followFailed(error),
      })
      // Deleted meanwhile: a run under this id now is another one, whose events
      // are not this reader's. Or dropped before the hook above was in place
      // (after the request found the run), which nothing would ever tell this
      // reader: it would wait for its watchdog. Looked for once the hook is in
      // place, so no drop is missed.
      if (reader.runDeleted || !(await store.getRun(plan.runId))) reader.endAfterBuffered()
      // The first page now: a store that cannot read fails the open, not the stream.
      if (!reader.runDeleted) await reader.fill()
    } catch (error) {
      // Nobody gets this reader to close: its subscription would follow the run for nobody.
      reader.close()
      throw error
    }
    const { watchdog } = plan
    if (watchdog) {
      const look = () => watchdog().then((exists) => exists || reader.close(), () => {})
      reader.watchdogTimer = setInterval(() => void look(), store.leaseTtlMs)
      if (typeof reader.watchdogTimer === 'object' && 'unref' in reader.watchdogTimer) reader.watchdogTimer.unref()
    }
    return reader
  }

  /** Whether the store stopped following the run for this reader (`next()` throws its error once the log's events are out). */
  get followLost(): boolean {
    return this.followFailure !== undefined
  }

  /** The run was dropped (before or since this reader opened): no more events will come. */
  get runGone(): boolean {
    return this.runDeleted
  }

  /**
   * For a request's answer: a run dropped (ttl, deleteRun) since the request
   * found it is refused as one that is not there (`run_not_found`, HTTP 404),
   * not read as a stream of nothing that ends as a drop. Closes this reader then.
   */
  refuseIfRunGone(): void {
    if (!this.runDeleted) return
    this.close()
    throw runNotFound()
  }

  /**
   * The next event to deliver, or `undefined` when the stream is over (or
   * closed). Throws the store's error once it can no longer follow the run
   * and every event the log held by then is out.
   */
  async next(): Promise<IndexedEvent | undefined> {
    for (;;) {
      const [event] = this.takeReady(1)
      if (event) return event
      if (this.done || this.endReached || this.runDeleted) {
        this.close()
        return undefined
      }
      // Nothing ready with events buffered: they lie past a gap, which the store fills.
      if (this.storeAhead || this.buffer.length > 0) await this.fill()
      else if (this.followFailure) {
        const error = this.followFailure
        this.close()
        throw error
      } else {
        await new Promise<void>((resolve) => {
          this.wake = resolve
        })
        this.wake = undefined
      }
    }
  }

  /**
   * Up to `limit` events deliverable right now, in order, without waiting:
   * a response writes a backlog (a replay, a burst of tokens) in one chunk
   * instead of one socket write per event.
   */
  takeReady(limit: number): IndexedEvent[] {
    const ready: IndexedEvent[] = []
    while (ready.length < limit && !this.done && !this.endReached) {
      const event = this.buffer[0]
      if (!event || event.index > this.cursor) break
      this.buffer.shift()
      if (event.index < this.cursor) continue
      this.cursor = event.index + 1
      if (isTerminalEvent(event.event) && event.index >= this.plan.endAfterTerminalFrom) this.endReached = true
      if (event.index >= this.plan.fromIndex) ready.push(event)
    }
    return ready
  }

  /** Releases the subscription now; a pending `next()` resolves to `undefined`. */
  close(): void {
    if (this.done) return
    this.done = true
    if (this.watchdogTimer) clearInterval(this.watchdogTimer)
    this.forgetDeletion?.()
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.buffer = []
    this.wake?.()
  }

  private endAfterBuffered(): void {
    this.runDeleted = true
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.wake?.()
  }

  /**
   * The store can no longer follow the run. The log may hold events no live
   * event brought yet (appended since the last read): read it once more, so
   * they go out before the reader ends, rather than waiting for nothing.
   */
  private followFailed(error: Error): void {
    if (this.done || this.followFailure) return
    this.followFailure = error
    this.storeAhead = true
    this.wake?.()
  }

  private receive(event: IndexedEvent): void {
    if (this.done) return
    // Left to the store: the next fill reads it (it is in the log before anyone hears of it).
    if (this.storeAhead || this.buffer.length >= MAX_BUFFERED_EVENTS) {
      this.storeAhead = true
      return
    }
    this.buffer.push(event)
    this.wake?.()
  }

  /**
   * Reads the next page from the cursor into the buffer. `storeAhead` is
   * cleared before the read, not after: a live event let go of before it is
   * in the page (or past a full one, which sets it again), and one arriving
   * during the read is buffered, so none falls between the two.
   */
  private async fill(): Promise<void> {
    this.storeAhead = false
    const page = await this.store.read(this.plan.runId, this.cursor, { limit: MAX_BUFFERED_EVENTS })
    // Deleted during the read: the page may be of a new run under the same id.
    if (this.done || this.runDeleted) return
    if (page.length >= MAX_BUFFERED_EVENTS) this.storeAhead = true
    const merged = byIndexFrom(this.cursor, [...page, ...this.buffer])
    // A store that ignores the limit returned more than a page: kept, since reading it again would cost as much again.
    const room = Math.max(MAX_BUFFERED_EVENTS, page.length)
    if (merged.length > room) {
      merged.length = room
      this.storeAhead = true
    }
    this.buffer = merged
    // The store has no event at the cursor though later ones exist: reading again would never end.
    if (merged[0] !== undefined && merged[0].index > this.cursor) this.close()
  }

  [Symbol.asyncIterator](): AsyncIterator<IndexedEvent> {
    return {
      next: async () => {
        const event = await this.next()
        return event ? { done: false, value: event } : { done: true, value: undefined }
      },
      return: async () => {
        this.close()
        return { done: true, value: undefined }
      },
    }
  }
}

/** Events at or past `from`, sorted by index, each index once. */
function byIndexFrom(from: number, events: IndexedEvent[]): IndexedEvent[] {
  const sorted = events.filter((event) => event.index >= from).sort((a, b) => a.index - b.index)
  return sorted.filter((event, position) => position === 0 || sorted[position - 1]!.index !== event.index)
}
