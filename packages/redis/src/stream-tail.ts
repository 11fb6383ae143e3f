/**
 * Live tail of many run logs: each log is read by the lane of its group
 * (tail-groups.ts), a loop of blocking XREADs on a connection of its own
 * (tail-lane.ts). On a single node that is one lane, one connection, for
 * every run this process follows. On a Redis Cluster, where one XREAD may
 * only name keys of one hash slot, it is a lane per slot of the runs
 * followed, opened with the first subscription in the slot and closed with
 * the last (a cluster costs a connection per tailed slot; each blocks, so
 * lanes cannot share one).
 *
 * Each tail follows one generation of its run (see `newGeneration`). Another
 * process may delete the run and a new one begin under the same id: the tail
 * reads the new log's entries (another generation in their ids), or the store
 * finds the run gone or renewed (`observe`), and the tail ends, telling the
 * store (`gone`), whose deletion listeners end what this process held of the
 * old run. Its subscribers never get an event of the new one. Every XREAD
 * also reads its group's deletions stream (deletions.ts), so a deletion by
 * another process ends the tail of that generation at once.
 */
import type { RedisClient } from './client.js'
import type { TailGroups } from './tail-groups.js'
import { TailLane, type Listener, type Subscription, type Tail } from './tail-lane.js'

export { BLOCKING_SOCKET_TIMEOUT_MS } from './tail-lane.js'

export class StreamTail {
  private readonly lanes = new Map<string, TailLane>()
  private closed = false

  constructor(
    /** Non-blocking connection, used to write wake-ups. */
    private readonly commands: RedisClient,
    /** Makes a lane's blocking connection (lazily, at its first subscription), with `BLOCKING_SOCKET_TIMEOUT_MS` as its `socketTimeout`. */
    private readonly connect: () => RedisClient,
    private readonly groups: TailGroups,
    /** Told (synchronously) when a tail ends because its run is gone: deleted, or deleted and created anew. */
    private readonly gone: (runId: string) => void,
  ) {}

  /**
   * `generation` is the run's as the subscriber found it, with the log's end
   * (`after`). The store's commands share one connection, whose replies come
   * in order: a generation other than the tail's is the newer one.
   */
  async add(runId: string, logKey: string, generation: string, after: number, listener: Listener, onFailure?: (error: Error) => void): Promise<() => void> {
    // A subscribe still on its way when the store closed: nothing will ever
    // be delivered, and a blocking connection opened now would never be closed.
    if (this.closed) return () => {}
    this.observe(logKey, generation)
    const subscription: Subscription = { after, listener }
    if (onFailure) {
      subscription.failed = (error) => {
        // Ended before it is told, so whatever it does next (unsubscribe, subscribe again) finds it gone.
        unsubscribe()
        onFailure(error)
      }
    }
    const lane = this.laneOf(logKey, true)
    // Its reads keep failing: this subscriber would wait for nothing (those the lane has were told, if they can hear of it).
    const unavailable = lane.unavailable()
    if (unavailable) throw unavailable
    let tail = lane.tails.get(logKey)
    // A tail read past the new subscriber's start rewinds to it, so the
    // subscriber misses nothing appended since it looked up the log's end
    // (read again, each listener still gets each once).
    const isNew = tail === undefined
    const rewinds = tail !== undefined && after < tail.cursor
    if (!tail) {
      tail = { runId, generation, cursor: after, subscriptions: new Set() }
      lane.tails.set(logKey, tail)
    } else if (rewinds) tail.cursor = after
    tail.subscriptions.add(subscription)
    const own = tail
    const unsubscribe = () => {
      // A tail that ended (its run gone) may have been followed by another one under the same key.
      if (lane.tails.get(logKey) !== own || !own.subscriptions.delete(subscription)) return
      // The blocked XREAD may still return entries for this key; they are dropped then.
      if (own.subscriptions.size === 0) {
        lane.tails.delete(logKey)
        this.closeIfIdle(lane)
      }
    }
    try {
      // A blocked XREAD only watches the keys and cursors it was sent with.
      if (isNew || rewinds) await lane.wake()
    } catch (error) {
      // The subscribe fails, so nobody will ever call unsubscribe: undo it here.
      unsubscribe()
      throw error
    }
    return unsubscribe
  }

  /** Drops every subscription of a run (it was deleted). */
  forget(logKey: string): void {
    const lane = this.laneOf(logKey, false)
    if (lane?.tails.delete(logKey)) this.closeIfIdle(lane)
  }

  /**
   * What the store just read of a run: its current generation, or
   * `undefined` when it does not exist. A tail of another generation
   * follows a run that is gone: it ends, and the store is told.
   */
  observe(logKey: string, generation: string | undefined): void {
    const lane = this.laneOf(logKey, false)
    const tail = lane?.tails.get(logKey)
    if (lane && tail && tail.generation !== generation) lane.end(logKey, tail)
  }

  /** Whether this process follows the log (a subscription is open on it). */
  follows(logKey: string): boolean {
    return this.tailOf(logKey) !== undefined
  }

  /** The generation of the run this process follows under the log, if any. */
  followedGeneration(logKey: string): string | undefined {
    return this.tailOf(logKey)?.generation
  }

  get size(): number {
    let count = 0
    for (const lane of this.lanes.values()) for (const tail of lane.tails.values()) count += tail.subscriptions.size
    return count
  }

  close(): void {
    this.closed = true
    for (const lane of this.lanes.values()) lane.close()
    this.lanes.clear()
  }

  private tailOf(logKey: string): Tail | undefined {
    return this.laneOf(logKey, false)?.tails.get(logKey)
  }

  private laneOf(logKey: string, create: true): TailLane
  private laneOf(logKey: string, create: false): TailLane | undefined
  private laneOf(logKey: string, create: boolean): TailLane | undefined {
    const group = this.groups.of(logKey)
    let lane = this.lanes.get(group.id)
    if (!lane && create) {
      lane = new TailLane(group, this.commands, this.connect, (tail) => this.ended(lane!, tail))
      this.lanes.set(group.id, lane)
    }
    return lane
  }

  private ended(lane: TailLane, tail: Tail): void {
    try {
      this.gone(tail.runId)
    } catch {
      // Whatever a listener does, the tail of every other run goes on.
    }
    this.closeIfIdle(lane)
  }

  /** A cluster's per-slot lane holds a connection only while it has a log to read; a single node's one lane stays. */
  private closeIfIdle(lane: TailLane): void {
    if (!this.groups.perSlot || lane.tails.size > 0 || this.lanes.get(lane.group.id) !== lane) return
    this.lanes.delete(lane.group.id)
    lane.close()
  }
}
