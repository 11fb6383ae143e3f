/**
 * One blocking read loop of the live tail: `XREAD BLOCK … STREAMS log1 log2
 * … wake deletions` on a connection of its own, over the logs of one group
 * (tail-groups.ts: every log on a single node, one hash slot's on a
 * cluster), fanning entries out to their subscribers. A blocked XREAD only
 * watches the keys and cursors it was sent with, so a new or rewound tail
 * appends to the group's wake stream, which every read of the lane names:
 * the pending read returns at once, or, if it was not yet blocking, sees the
 * wake entry immediately (no lost wake-up).
 *
 * The loop reads while the lane has logs to read, and starts again with the
 * next one's wake-up. After a read that found entries it pauses a moment
 * (`BUSY_READ_PAUSE_MS`), so a busy log is read a few events per XREAD
 * rather than one. A read that fails (connection trouble ioredis could not
 * mend by re-sending it, or an error Redis answers at once: WRONGTYPE, an ACL
 * refusal) is tried again after a wait that grows (backoff.ts); cursors are
 * kept, so nothing is lost. Once `FAILURES_UNTIL_UNAVAILABLE` reads in a row
 * failed, the lane is known to fail, and refuses new subscriptions (the store
 * rejects them with `LiveTailUnavailableError`) until a read succeeds, or
 * the lane, left with no subscriber, stops (the next one gets a fresh try).
 * Its subscriptions that can hear of it (`failed`, the store's
 * `onFailure`) are told then, and end: a reader waiting for events this
 * lane may never read ends its response, whose client resumes, maybe on a
 * process that reads. The others stay, and get every event once a read
 * succeeds again.
 */
import type { IndexedEvent } from '@stepstream/protocol'
import type { RedisClient } from './client.js'
import { clientKeyPrefixOf } from './client.js'
import { decodeEntry, type RawEntry } from './codec.js'
import { deletedLogOf } from './deletions.js'
import { Backoff } from './backoff.js'
import { afterIndex, generationOfEntry, indexOfEntry, isOtherGeneration } from './keys.js'
import type { TailGroup } from './tail-groups.js'
import { LiveTailUnavailableError } from './tail-unavailable.js'

export type Listener = (event: IndexedEvent) => void

export interface Subscription {
  /** The last index this listener got (at first: the log's end when it subscribed); only later ones are for it. */
  after: number
  listener: Listener
  /** Told (synchronously, at most once) that the lane keeps failing; it ends the subscription. Without it, the subscription waits. */
  failed?: (error: Error) => void
}

export interface Tail {
  runId: string
  /** The generation of the run its subscribers subscribed to. */
  generation: string
  /** Last index read from this log; the next XREAD asks for what follows it. */
  cursor: number
  subscriptions: Set<Subscription>
}

/** What one XREAD asked for a key: after `cursor`, for `tail`. */
interface Sent {
  tail: Tail
  cursor: number
}

const BLOCK_MS = 5_000
/**
 * A blocked XREAD answers within BLOCK_MS, so a connection silent for this
 * long is dead (a link lost without RST or FIN never errors on its own): the
 * blocking connection is made with it as ioredis' `socketTimeout`, which drops
 * the socket, reconnects and re-sends the read (cursors kept, nothing lost).
 * It also replaces a shorter `socketTimeout` of a given client, which would
 * cut every read that blocks.
 */
export const BLOCKING_SOCKET_TIMEOUT_MS = BLOCK_MS + 3_000
const BATCH = 512
const WAKE_TTL_MS = 60_000
/**
 * The pause before the next read after one that found entries. Without it a
 * lane reads about one event per XREAD while its logs are written as fast
 * as they can be (each append is a round trip, and so is each read): on a
 * cluster, where a run streamed has a lane of its own, that is one XREAD per
 * event, as many commands as the appends themselves. 2 ms read a dozen or
 * so per XREAD in the bench (bench/redis.bench.mjs), and delays an event by
 * that much at most, only while its log is busy: the first event after a
 * quiet spell still ends a blocked read at once, and a model streaming a
 * token every few milliseconds or slower is never read later than before.
 */
const BUSY_READ_PAUSE_MS = 2
/** The first wait after a failed read, and the most it grows to (a blocked read's length: a mended lane is back within one). */
const RETRY_FIRST_MS = 100
const RETRY_MAX_MS = BLOCK_MS
/**
 * Reads failed in a row after which new subscriptions are refused: some
 * seconds of trying (more when each failure was ioredis giving up on a
 * reconnect), past a failover's or a restart's blip.
 */
const FAILURES_UNTIL_UNAVAILABLE = 5

export class TailLane {
  /** The logs this lane reads, by key (as the store names it, without a client prefix). */
  readonly tails = new Map<string, Tail>()
  private wakeCursor = '0-0'
  /**
   * From the start at first: a deletion announced before this lane's first
   * read may be of a run it follows. An older one is harmless: it names a
   * generation no live tail has.
   */
  private deletionsCursor = '0-0'
  private connection: RedisClient | undefined
  /** Whether the read loop runs; set and cleared synchronously with the look at `tails` that starts or stops it. */
  private reading = false
  private readonly backoff = new Backoff(RETRY_FIRST_MS, RETRY_MAX_MS)
  private lastFailure: unknown
  private closed = false

  constructor(
    readonly group: TailGroup,
    /** Non-blocking connection, used to write wake-ups. */
    private readonly commands: RedisClient,
    /** Makes the lane's blocking connection (lazily, at its first wake-up). */
    private readonly connect: () => RedisClient,
    /** Called (synchronously) when a tail ends because its run is gone, after it left `tails`. */
    private readonly ended: (tail: Tail) => void,
  ) {}

  /** Why a new subscription must be refused: this lane's reads keep failing (`undefined`: it reads, or may). */
  unavailable(): LiveTailUnavailableError | undefined {
    const failures = this.backoff.failuresInARow
    return failures >= FAILURES_UNTIL_UNAVAILABLE ? new LiveTailUnavailableError(failures, this.lastFailure) : undefined
  }

  /** Makes a blocked read pick up a new or rewound tail; starts the loop if it is not running. */
  async wake(): Promise<void> {
    if (this.closed) return
    if (!this.reading) {
      this.reading = true
      void this.run()
    }
    await this.commands
      .multi()
      .xadd(this.group.wakeKey, 'MAXLEN', '~', '16', '*', 'w', '1')
      .pexpire(this.group.wakeKey, WAKE_TTL_MS)
      .exec()
  }

  close(): void {
    this.closed = true
    this.tails.clear()
    // Disconnecting rejects the pending XREAD, which ends the loop; so does ending a wait before a retry.
    this.connection?.disconnect()
    this.backoff.cancel()
  }

  private blockingConnection(): RedisClient {
    if (this.connection) return this.connection
    const connection = this.connect()
    this.connection = connection
    // Its errors reach the loop as the pending read's rejection, or as the
    // reconnect that re-sends it; unheard, ioredis would print each one.
    connection.on('error', () => {})
    return connection
  }

  private async run(): Promise<void> {
    const connection = this.blockingConnection()
    // A client made with ioredis' `keyPrefix` prefixes the keys it sends, and
    // the reply names them as Redis knows them: strip it to find our tails.
    const clientPrefix = clientKeyPrefixOf(connection)
    const { wakeKey, deletionsKey } = this.group
    while (!this.closed) {
      // Nobody left to read for: the loop stops, and so do its retries; the
      // next subscriber's wake-up starts it afresh. Looked at and cleared in
      // one synchronous step, so no wake-up finds a loop about to stop.
      if (this.tails.size === 0) {
        this.reading = false
        this.backoff.reset()
        return
      }
      const sent = new Map([...this.tails].map(([key, tail]): [string, Sent] => [key, { tail, cursor: tail.cursor }]))
      const keys = [...sent.keys()]
      const ids = [...sent.values()].map(({ cursor }) => afterIndex(cursor))
      let reply: unknown
      try {
        reply = await connection.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, wakeKey, deletionsKey, ...ids, this.wakeCursor, this.deletionsCursor)
      } catch (error) {
        if (this.closed) return
        // Cursors are kept, so the retry loses nothing.
        this.lastFailure = error
        // Counts the failure at once; the wait ends early if telling closes the lane.
        const retry = this.backoff.afterFailure()
        this.tellFailing()
        await retry
        continue
      }
      this.backoff.reset()
      let logEntries = 0
      for (const [prefixedKey, entries] of streamsOf(reply)) {
        const key = prefixedKey.slice(clientPrefix.length)
        if (key !== wakeKey && key !== deletionsKey) logEntries += entries.length
        this.deliver(key, entries, sent.get(key))
      }
      // A busy log (this read found entries, and not a full batch of them):
      // its writer appends one event per round trip, so a read sent at once
      // finds one more. Waiting a moment lets a few accumulate for one read.
      if (logEntries > 0 && logEntries < BATCH) await new Promise((resolve) => setTimeout(resolve, BUSY_READ_PAUSE_MS))
    }
  }

  /** Once the lane is known to fail: its subscriptions that can hear of it are told, and end. */
  private tellFailing(): void {
    const unavailable = this.unavailable()
    if (!unavailable) return
    // Copies: each one told leaves its tail, and the last may close the lane.
    for (const tail of [...this.tails.values()]) {
      for (const subscription of [...tail.subscriptions]) {
        try {
          subscription.failed?.(unavailable)
        } catch {
          // A faulty reader must not keep the others from hearing of it.
        }
      }
    }
  }

  /** Hands a read's entries to the key's listeners; `sent` is the tail and cursor the read asked for. */
  private deliver(key: string, entries: RawEntry[], sent: Sent | undefined): void {
    if (key === this.group.wakeKey) {
      const last = entries.at(-1)
      if (last) this.wakeCursor = last[0]
      return
    }
    if (key === this.group.deletionsKey) return this.deleted(entries)
    const tail = this.tails.get(key)
    // Asked for a tail that ended since (its run gone, maybe another generation's tail in its place): not this one's.
    if (!tail || tail !== sent?.tail) return
    // Another generation's entry: the run was deleted and this log is a new run's.
    if (entries.some(([id]) => isOtherGeneration(generationOfEntry(id), tail.generation))) return this.end(key, tail)
    // Rewound while this read was out: it may have skipped what the tail
    // must now deliver. The next read asks from the new cursor.
    if (tail.cursor !== sent.cursor) return
    for (const entry of entries) {
      const index = indexOfEntry(entry[0])
      if (index <= tail.cursor) continue
      tail.cursor = index
      let event: IndexedEvent
      try {
        event = decodeEntry(entry)
      } catch {
        // An entry this store did not write must not end the tail (and with it every live
        // response of this process, through an unhandled rejection): it is skipped here.
        continue
      }
      for (const subscription of [...tail.subscriptions]) {
        if (event.index <= subscription.after) continue
        subscription.after = event.index
        try {
          subscription.listener(event)
        } catch {
          // A faulty reader must not stop the tail or other readers.
        }
      }
    }
  }

  /**
   * Ends the tails of the runs announced deleted (that generation only), this
   * store's own deletions included: a `deleteRun` whose script ran but whose
   * answer was lost (the connection dropped, the command not sent again)
   * fails before it ends this store's tails, which only the announcement
   * then ends. One read while the delete is still in flight tells the
   * listeners, and the delete stays quiet (DeletesInFlight); one read after
   * it finds the tail gone already.
   */
  private deleted(entries: RawEntry[]): void {
    const last = entries.at(-1)
    if (last) this.deletionsCursor = last[0]
    for (const entry of entries) {
      const deleted = deletedLogOf(entry)
      if (!deleted) continue
      const tail = this.tails.get(deleted.logKey)
      if (tail?.generation === deleted.generation) this.end(deleted.logKey, tail)
    }
  }

  /** Ends a tail whose run is gone. */
  end(logKey: string, tail: Tail): void {
    this.tails.delete(logKey)
    this.ended(tail)
  }
}

/** XREAD replies are `[key, entries][]` in RESP2 and a key→entries map under RESP3 mapping. */
function streamsOf(reply: unknown): Array<[string, RawEntry[]]> {
  if (reply === null || reply === undefined) return []
  if (Array.isArray(reply)) return reply as Array<[string, RawEntry[]]>
  if (reply instanceof Map) return [...(reply as Map<string, RawEntry[]>).entries()]
  return Object.entries(reply as Record<string, RawEntry[]>)
}
