/**
 * Live tail of many run logs over ONE blocking connection: a loop of
 * `XREAD BLOCK … STREAMS log1 log2 … wake`, fanning entries out to this
 * process's listeners. A blocked XREAD only watches the keys it was sent
 * with, so adding a run appends to this process's private "wake" stream,
 * which is part of every XREAD: the pending read returns at once, or, if it
 * was not yet blocking, sees the wake entry immediately (no lost wake-up).
 *
 * Each tail follows one generation of its run (see `newGeneration`). Another
 * process may delete the run and a new one begin under the same id: the tail
 * reads the new log's entries (another generation in their ids), or the store
 * finds the run gone or renewed (`observe`), and the tail ends, telling the
 * store (`gone`), whose deletion listeners end what this process held of the
 * old run. Its subscribers never get an event of the new one. Every XREAD
 * also reads the prefix's deletions stream (deletions.ts), so a deletion by
 * another process ends the tail of that generation at once.
 */
import type { IndexedEvent } from '@stepstream/protocol'
import type { Redis } from 'ioredis'
import { afterIndex, generationOfEntry, indexOfEntry, isOtherGeneration } from './keys.js'
import { decodeEntry, type RawEntry } from './codec.js'
import { deletedLogOf } from './deletions.js'

type Listener = (event: IndexedEvent) => void

interface Subscription {
  /** The last index this listener got (at first: the log's end when it subscribed); only later ones are for it. */
  after: number
  listener: Listener
}

interface Tail {
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

export class StreamTail {
  private readonly tails = new Map<string, Tail>()
  private readonly wakeKey: string
  private wakeCursor = '0-0'
  /**
   * From the start at first: a deletion announced before this process's
   * first read may be of a run it follows. An older one is harmless: it
   * names a generation no live tail has.
   */
  private deletionsCursor = '0-0'
  private connection: Redis | undefined
  private loop: Promise<void> | undefined
  private closed = false

  constructor(
    /** Non-blocking connection, used to write wake-ups. */
    private readonly commands: Redis,
    /** Makes the dedicated blocking connection (lazily, on the first subscription), with `BLOCKING_SOCKET_TIMEOUT_MS` as its `socketTimeout`. */
    private readonly connect: () => Redis,
    prefix: string,
    /** The stream where every process announces the runs it deletes (see deletions.ts). */
    private readonly deletionsKey: string,
    /** Told (synchronously) when a tail ends because its run is gone: deleted, or deleted and created anew. */
    private readonly gone: (runId: string) => void,
  ) {
    this.wakeKey = `${prefix}wake:${crypto.randomUUID()}`
  }

  /**
   * `generation` is the run's as the subscriber found it, with the log's end
   * (`after`). The store's commands share one connection, whose replies come
   * in order: a generation other than the tail's is the newer one.
   */
  async add(runId: string, logKey: string, generation: string, after: number, listener: Listener): Promise<() => void> {
    // A subscribe still on its way when the store closed: nothing will ever
    // be delivered, and a blocking connection opened now would never be closed.
    if (this.closed) return () => {}
    this.observe(logKey, generation)
    const subscription: Subscription = { after, listener }
    let tail = this.tails.get(logKey)
    // A tail read past the new subscriber's start rewinds to it, so the
    // subscriber misses nothing appended since it looked up the log's end
    // (read again, each listener still gets each once).
    const isNew = tail === undefined
    const rewinds = tail !== undefined && after < tail.cursor
    if (!tail) {
      tail = { runId, generation, cursor: after, subscriptions: new Set() }
      this.tails.set(logKey, tail)
    } else if (rewinds) tail.cursor = after
    tail.subscriptions.add(subscription)
    const own = tail
    const unsubscribe = () => {
      // A tail that ended (its run gone) may have been followed by another one under the same key.
      if (this.tails.get(logKey) !== own) return
      own.subscriptions.delete(subscription)
      // The blocked XREAD may still return entries for this key; they are dropped then.
      if (own.subscriptions.size === 0) this.tails.delete(logKey)
    }
    try {
      // A blocked XREAD only watches the keys and cursors it was sent with.
      if (isNew || rewinds) await this.wake()
    } catch (error) {
      // The subscribe fails, so nobody will ever call unsubscribe: undo it here.
      unsubscribe()
      throw error
    }
    return unsubscribe
  }

  /** Drops every subscription of a run (it was deleted). */
  forget(logKey: string): void {
    this.tails.delete(logKey)
  }

  /**
   * What the store just read of a run: its current generation, or
   * `undefined` when it does not exist. A tail of another generation
   * follows a run that is gone: it ends, and the store is told.
   */
  observe(logKey: string, generation: string | undefined): void {
    const tail = this.tails.get(logKey)
    if (tail && tail.generation !== generation) this.end(logKey, tail)
  }

  /** Whether this process follows the log (a subscription is open on it). */
  follows(logKey: string): boolean {
    return this.tails.has(logKey)
  }

  /** The generation of the run this process follows under the log, if any. */
  followedGeneration(logKey: string): string | undefined {
    return this.tails.get(logKey)?.generation
  }

  get size(): number {
    let count = 0
    for (const tail of this.tails.values()) count += tail.subscriptions.size
    return count
  }

  close(): void {
    this.closed = true
    this.tails.clear()
    // Disconnecting rejects the pending XREAD, which ends the loop.
    this.connection?.disconnect()
  }

  private async wake(): Promise<void> {
    this.loop ??= this.run()
    await this.commands
      .multi()
      .xadd(this.wakeKey, 'MAXLEN', '~', '16', '*', 'w', '1')
      .pexpire(this.wakeKey, WAKE_TTL_MS)
      .exec()
  }

  private async run(): Promise<void> {
    this.connection = this.connect()
    // Its errors reach the loop as the pending read's rejection, or as the
    // reconnect that re-sends it; unheard, ioredis would print each one.
    this.connection.on('error', () => {})
    // A client made with ioredis' `keyPrefix` prefixes the keys it sends, and
    // the reply names them as Redis knows them: strip it to find our tails.
    const clientPrefix = this.connection.options.keyPrefix ?? ''
    while (!this.closed) {
      const sent = new Map([...this.tails].map(([key, tail]): [string, Sent] => [key, { tail, cursor: tail.cursor }]))
      const keys = [...sent.keys()]
      const ids = [...sent.values()].map(({ cursor }) => afterIndex(cursor))
      let reply: unknown
      try {
        reply = await this.connection.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          this.wakeKey,
          this.deletionsKey,
          ...ids,
          this.wakeCursor,
          this.deletionsCursor,
        )
      } catch {
        if (this.closed) return
        // Connection trouble: ioredis reconnects; cursors are kept, so the retry loses nothing.
        await new Promise((resolve) => setTimeout(resolve, 100))
        continue
      }
      for (const [prefixedKey, entries] of streamsOf(reply)) {
        const key = prefixedKey.slice(clientPrefix.length)
        this.deliver(key, entries, sent.get(key))
      }
    }
  }

  /** Hands a read's entries to the key's listeners; `sent` is the tail and cursor the read asked for. */
  private deliver(key: string, entries: RawEntry[], sent: Sent | undefined): void {
    if (key === this.wakeKey) {
      const last = entries.at(-1)
      if (last) this.wakeCursor = last[0]
      return
    }
    if (key === this.deletionsKey) return this.deleted(entries)
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

  /** Ends the tails of the runs another process announced deleted (that generation only). */
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

  private end(logKey: string, tail: Tail): void {
    this.tails.delete(logKey)
    try {
      this.gone(tail.runId)
    } catch {
      // Whatever a listener does, the tail of every other run goes on.
    }
  }
}

/** XREAD replies are `[key, entries][]` in RESP2 and a key→entries map under RESP3 mapping. */
function streamsOf(reply: unknown): Array<[string, RawEntry[]]> {
  if (reply === null || reply === undefined) return []
  if (Array.isArray(reply)) return reply as Array<[string, RawEntry[]]>
  if (reply instanceof Map) return [...(reply as Map<string, RawEntry[]>).entries()]
  return Object.entries(reply as Record<string, RawEntry[]>)
}
