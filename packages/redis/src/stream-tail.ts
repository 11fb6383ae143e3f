/**
 * Live tail of many run logs over ONE blocking connection: a loop of
 * `XREAD BLOCK … STREAMS log1 log2 … wake`, fanning entries out to this
 * process's listeners. A blocked XREAD only watches the keys it was sent
 * with, so adding a run appends to this process's private "wake" stream,
 * which is part of every XREAD: the pending read returns at once, or, if it
 * was not yet blocking, sees the wake entry immediately (no lost wake-up).
 */
import type { IndexedEvent } from '@stepstream/protocol'
import type { Redis } from 'ioredis'
import { afterIndex, indexOfEntry } from './keys.js'
import { decodeEntry, type RawEntry } from './codec.js'

type Listener = (event: IndexedEvent) => void

interface Subscription {
  /** The last index this listener got (at first: the log's end when it subscribed); only later ones are for it. */
  after: number
  listener: Listener
}

interface Tail {
  runId: string
  /** Last index read from this log; the next XREAD asks for what follows it. */
  cursor: number
  subscriptions: Set<Subscription>
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
  private connection: Redis | undefined
  private loop: Promise<void> | undefined
  private closed = false

  constructor(
    /** Non-blocking connection, used to write wake-ups. */
    private readonly commands: Redis,
    /** Makes the dedicated blocking connection (lazily, on the first subscription), with `BLOCKING_SOCKET_TIMEOUT_MS` as its `socketTimeout`. */
    private readonly connect: () => Redis,
    prefix: string,
  ) {
    this.wakeKey = `${prefix}wake:${crypto.randomUUID()}`
  }

  async add(runId: string, logKey: string, after: number, listener: Listener): Promise<() => void> {
    // A subscribe still on its way when the store closed: nothing will ever
    // be delivered, and a blocking connection opened now would never be closed.
    if (this.closed) return () => {}
    const subscription: Subscription = { after, listener }
    let tail = this.tails.get(logKey)
    // A tail read past the new subscriber's start rewinds to it, so the
    // subscriber misses nothing: either events appended since it looked up
    // the log's end (read again, each listener still gets each once), or a
    // log that began anew, a run id reused after another process deleted the
    // run, whose first events a cursor left from the old log would skip.
    const isNew = tail === undefined
    const rewinds = tail !== undefined && after < tail.cursor
    if (!tail) {
      tail = { runId, cursor: after, subscriptions: new Set() }
      this.tails.set(logKey, tail)
    } else if (rewinds) tail.cursor = after
    tail.subscriptions.add(subscription)
    const unsubscribe = () => {
      const current = this.tails.get(logKey)
      if (!current) return
      current.subscriptions.delete(subscription)
      // The blocked XREAD may still return entries for this key; they are dropped then.
      if (current.subscriptions.size === 0) this.tails.delete(logKey)
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
      const sentCursors = new Map([...this.tails].map(([key, tail]) => [key, tail.cursor]))
      const keys = [...sentCursors.keys()]
      const ids = [...sentCursors.values()].map(afterIndex)
      let reply: unknown
      try {
        reply = await this.connection.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, this.wakeKey, ...ids, this.wakeCursor)
      } catch {
        if (this.closed) return
        // Connection trouble: ioredis reconnects; cursors are kept, so the retry loses nothing.
        await new Promise((resolve) => setTimeout(resolve, 100))
        continue
      }
      for (const [prefixedKey, entries] of streamsOf(reply)) {
        const key = prefixedKey.slice(clientPrefix.length)
        this.deliver(key, entries, sentCursors.get(key))
      }
    }
  }

  /** Hands a read's entries to the key's listeners; `sentCursor` is the cursor the read asked after. */
  private deliver(key: string, entries: RawEntry[], sentCursor: number | undefined): void {
    if (key === this.wakeKey) {
      const last = entries.at(-1)
      if (last) this.wakeCursor = last[0]
      return
    }
    const tail = this.tails.get(key)
    // Rewound while this read was out: it may have skipped what the tail
    // must now deliver. The next read asks from the new cursor.
    if (!tail || tail.cursor !== sentCursor) return
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
}

/** XREAD replies are `[key, entries][]` in RESP2 and a key→entries map under RESP3 mapping. */
function streamsOf(reply: unknown): Array<[string, RawEntry[]]> {
  if (reply === null || reply === undefined) return []
  if (Array.isArray(reply)) return reply as Array<[string, RawEntry[]]>
  if (reply instanceof Map) return [...(reply as Map<string, RawEntry[]>).entries()]
  return Object.entries(reply as Record<string, RawEntry[]>)
}
