/**
 * Deletions announced to every process: `deleteRun` drops a run's keys, and
 * a process blocked reading the run's log hears nothing of that (a blocked
 * XREAD on a deleted stream just goes on waiting), so its responses would
 * wait for their watchdog, a lease TTL later. The deleting process adds an
 * entry to a deletions stream, which every process's live tail reads with
 * the run's log (see StreamTail), and ends what it followed of that run: on
 * a single node one stream per key prefix, on a cluster one per hash slot
 * (tail-groups.ts), as an XREAD there may only name keys of one slot.
 *
 * The announcement is written by the script that drops the run (DELETE_RUN),
 * so a run is never gone unannounced, nor announced and still there, even if
 * the deleting process dies. On a cluster a script may only touch keys of one
 * slot: the deletions stream a run is announced on is the one of the run's
 * slot (a key in that slot, though not under the run's tag), which is also
 * the one a process reads with that run's log, so a process misses no
 * deletion of a run it follows by reading only the slots it tails. (One
 * stream for the whole prefix would have to be written apart from the
 * script, and a process dying between the two would leave the deletion
 * unannounced until its readers' watchdog, a lease TTL later; it would also
 * be a key no XREAD of logs on a cluster could name.)
 *
 * An entry names a log and the generation deleted (see `newGeneration`), so
 * a late or replayed entry never ends the tail of a newer run under the same
 * id. Runs dropped by their TTL are not announced (Redis tells no one
 * without keyspace notifications); their readers find them gone at their
 * watchdog, which they wait for anyway to find a crashed executor.
 */
import { fieldOf, type RawEntry } from './codec.js'

/** The stream of deletions on a single node, shared by every process on the prefix. */
export const deletionsKeyOf = (prefix: string): string => `${prefix}deletions`

/** Entries kept (about): a process reads them within a blocking read's time, so a few suffice. */
export const DELETIONS_KEPT = 1_000
/** The stream goes once no deletion was announced for this long; a later one makes it again. */
export const DELETIONS_KEPT_FOR_MS = 60 * 60 * 1000

/**
 * A log an entry announces deleted. The entry also names the store that
 * deleted it (`p`), for processes of earlier versions, which skip their own
 * announcements; this version heeds its own too (see TailLane.deleted).
 */
export interface DeletedLog {
  logKey: string
  generation: string
}

/** The log an entry announces deleted; `undefined` for an entry this store did not write. */
export function deletedLogOf([, fields]: RawEntry): DeletedLog | undefined {
  try {
    return { logKey: fieldOf(fields, 'k'), generation: fieldOf(fields, 'g') }
  } catch {
    return undefined
  }
}
