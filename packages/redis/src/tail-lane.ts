/**
 * One blocking read loop of the live tail: `XREAD BLOCK … STREAMS log1 log2
 * … wake deletions` on a connection of its own, over the logs of one group
 * (tail-groups.ts: every log on a single node, one hash slot's on a
 * cluster), fanning entries out to their subscribers. A blocked XREAD only
 * watches the keys and cursors it was sent with, so a new or rewound tail
 * appends to the group's wake stream, which every read of the lane names:
 * the pending read returns at once, or, if it was not yet blocking, sees the
 * wake entry immediately (no lost wake-up).
 */
import type { IndexedEvent } from '@stepstream/protocol'
import type { RedisClient } from './client.js'
import { clientKeyPrefixOf } from './client.js'
import { decodeEntry, type RawEntry } from './codec.js'
import { deletedLogOf } from './deletions.js'
import { afterIndex, generationOfEntry, indexOfEntry, isOtherGeneration } from './keys.js'
import type { TailGroup } from './tail-groups.js'

export type Listener = (event: IndexedEvent) => void

export interface Subscription {
  /** The last index this listener got (at first: the log's end when it subscribed); only later ones are for it. */
  after: number
  listener: Listener
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
  private loop: Promise<void> | undefined
  private closed = false

  constructor(
    readonly group: TailGroup,
    /** Non-blocking connection, used to write wake-ups. */
    private readonly commands: RedisClient,
    /** Makes the lane's blocking connection (lazily, at its first wake-up). */
    private readonly connect: () => RedisClient,
    /** The id of the store this lane reads for, which announces its deletions with it (deletions.ts). */
    private readonly processId: string,
    /** Called (synchronously) when a tail ends because its run is gone, after it left `tails`. */
    private readonly ended: (tail: Tail) => void,
  ) {}

  /** Makes a blocked read pick up a new or rewound tail; starts the loop on first use. */
  async wake(): Promise<void> {
    if (this.closed) return
    this.loop ??= this.run()
    await this.commands
      .multi()
      .xadd(this.group.wakeKey, 'MAXLEN', '~', '16', '*', 'w', '1')
      .pexpire(this.group.wakeKey, WAKE_TTL_MS)
      .exec()
  }

  close(): void {
    this.closed = true
    this.tails.clear()
    // Disconnecting rejects the pending XREAD, which ends the loop.
    this.connection?.disconnect()
  }

  private async run(): Promise<void> {
    const connection = this.connect()
    this.connection = connection
    // Its errors reach the loop as the pending read's rejection, or as the
    // reconnect that re-sends it; unheard, ioredis would print each one.
    connection.on('error', () => {})
    // A client made with ioredis' `keyPrefix` prefixes the keys it sends, and
    // the reply names them as Redis knows them: strip it to find our tails.
    const clientPrefix = clientKeyPrefixOf(connection)
    const { wakeKey, deletionsKey } = this.group
    while (!this.closed) {
      const sent = new Map([...this.tails].map(([key, tail]): [string, Sent] => [key, { tail, cursor: tail.cursor }]))
      const keys = [...sent.keys()]
      const ids = [...sent.values()].map(({ cursor }) => afterIndex(cursor))
      let reply: unknown
      try {
        reply = await connection.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, wakeKey, deletionsKey, ...ids, this.wakeCursor, this.deletionsCursor)
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

  /** Ends the tails of the runs another process announced deleted (that generation only). */
  private deleted(entries: RawEntry[]): void {
    const last = entries.at(-1)
    if (last) this.deletionsCursor = last[0]
    for (const entry of entries) {
      const deleted = deletedLogOf(entry)
      if (!deleted || deleted.by === this.processId) continue
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
