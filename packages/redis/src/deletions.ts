/**
 * Deletions announced to every process: `deleteRun` drops a run's keys, and
 * a process blocked reading the run's log hears nothing of that (a blocked
 * XREAD on a deleted stream just goes on waiting), so its responses would
 * wait for their watchdog, a lease TTL later. The deleting process adds an
 * entry to one stream per key prefix, which every process's live tail reads
 * with its logs (see StreamTail), and ends what it followed of that run.
 *
 * An entry names a log and the generation deleted (see `newGeneration`), so
 * a late or replayed entry never ends the tail of a newer run under the same
 * id. Runs dropped by their TTL are not announced (Redis tells no one
 * without keyspace notifications); their readers find them gone at their
 * watchdog, which they wait for anyway to find a crashed executor.
 */
import type { Redis } from 'ioredis'
import { fieldOf, type RawEntry } from './codec.js'

/** The stream of deletions, shared by every process on the prefix. */
export const deletionsKeyOf = (prefix: string): string => `${prefix}deletions`

/** Entries kept (about): a process reads them within a blocking read's time, so a few suffice. */
const KEPT = 1_000
/** The stream goes once no deletion was announced for this long; a later one makes it again. */
const KEPT_FOR_MS = 60 * 60 * 1000

export interface DeletedLog {
  logKey: string
  generation: string
}

export async function announceDeletion(redis: Redis, deletionsKey: string, deleted: DeletedLog): Promise<void> {
  await redis
    .multi()
    .xadd(deletionsKey, 'MAXLEN', '~', KEPT, '*', 'k', deleted.logKey, 'g', deleted.generation)
    .pexpire(deletionsKey, KEPT_FOR_MS)
    .exec()
}

/** The log an entry announces deleted; `undefined` for an entry this store did not write. */
export function deletedLogOf([, fields]: RawEntry): DeletedLog | undefined {
  try {
    return { logKey: fieldOf(fields, 'k'), generation: fieldOf(fields, 'g') }
  } catch {
    return undefined
  }
}
