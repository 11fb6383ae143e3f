import type { IndexedEvent } from '@stepstream/protocol'
import type { ClientFor } from './closed.js'
import { decodeEntries, type RawEntry } from './codec.js'
import { firstIdOf, generationOfEntry, isOtherGeneration } from './keys.js'

/** Entries per XRANGE, so a long log is never one giant reply. */
const PAGE = 1_000

/** What `readLog` read, and the generation it stopped at, if it met another run's entries. */
export interface LogRead {
  events: IndexedEvent[]
  otherGeneration?: string
}

/**
 * Up to `limit` events of a log from `fromIndex`, in order. With `followed`
 * (the generation of the run the caller follows), it stops at the first
 * entry of another run: the followed one was deleted and its id taken again.
 * The client is asked for per page (`ClientFor`): a closed store reads no more.
 */
export async function readLog(clientFor: ClientFor, logKey: string, fromIndex: number, limit: number, followed: string | undefined): Promise<LogRead> {
  const events: IndexedEvent[] = []
  // XRANGE takes COUNT 0 as no count at all.
  if (limit <= 0) return { events }
  let start = firstIdOf(Math.max(0, fromIndex))
  for (;;) {
    const count = Math.min(PAGE, limit - events.length)
    const page = (await clientFor().xrange(logKey, start, '+', 'COUNT', count)) as RawEntry[]
    const others = followed === undefined ? -1 : page.findIndex(([id]) => isOtherGeneration(generationOfEntry(id), followed))
    if (others !== -1) {
      events.push(...decodeEntries(page.slice(0, others)))
      return { events, otherGeneration: generationOfEntry(page[others]![0]) }
    }
    events.push(...decodeEntries(page))
    if (page.length < count || events.length >= limit) return { events }
    start = `(${page.at(-1)![0]}`
  }
}
