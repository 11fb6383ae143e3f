/**
 * Key layout. Every key of one run carries the run id as a hash tag
 * (`{runId}`), so a run's keys live in one Redis Cluster slot and the Lua
 * scripts that touch several of them stay legal there.
 */
import { hashTagOf } from './slots.js'

export interface RunKeys {
  /** Hash: `record` (RunRecord JSON), `status`, `next` (the next event index), `gen` (the run's generation). */
  run: string
  /** Stream: the event log; entry id `<index>-<generation>`, field `e` = the event JSON. */
  log: string
  /** List: the step journal (JSON entries) that durable replay feeds back. */
  steps: string
  /** String: the executor lease, value = the owner's token. */
  lease: string
  /** String: set when some process asked the executor to abort. */
  abort: string
}


export function runKeys(prefix: string, runId: string): RunKeys {
  const base = `${prefix}{${runId}}`
  // Without a tag (an empty run id, one starting with '}', a prefix with an
  // empty `{}`) the run's keys spread over slots and its scripts fail with
  // CROSSSLOT on a cluster. HTTP ids never do this; a prefix's own tag is fine.
  if (hashTagOf(base) === undefined) {
    throw new TypeError(`Key prefix ${JSON.stringify(prefix)} with run id ${JSON.stringify(runId)} makes no Redis Cluster hash tag`)
  }
  return { run: `${base}:run`, log: `${base}:log`, steps: `${base}:steps`, lease: `${base}:lease`, abort: `${base}:abort` }
}

/**
 * A run's generation: a random number drawn when the run is created, kept in
 * its record hash and written as the sequence part of its log's entry ids
 * (`<index>-<generation>`). A run id can be used again after its run was
 * deleted (client-chosen ids); the generation tells this run's log from an
 * earlier or later one under the same keys, in every process, without a
 * byte more per entry. Never `1`, which stands for runs written before
 * generations existed (no `gen` field) and tells nothing.
 */
export function newGeneration(): string {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2))
  return String((high! & 0xfffff) * 2 ** 32 + low! + 2)
}

/** What an entry id of a run written without a generation ends with. */
export const UNKNOWN_GENERATION = '1'

/** Whether an entry of this generation belongs to another run than one of `generation` (a run without generations tells nothing). */
export function isOtherGeneration(entryGeneration: string, generation: string): boolean {
  return entryGeneration !== UNKNOWN_GENERATION && entryGeneration !== generation
}

/** The first possible entry id of an event index, whatever its generation (XRANGE start). */
export function firstIdOf(index: number): string {
  return `${index}-0`
}

/** The event index an entry id encodes. */
export function indexOfEntry(id: string): number {
  return Number(id.slice(0, id.indexOf('-')))
}

/** The generation an entry id encodes. */
export function generationOfEntry(id: string): string {
  return id.slice(id.indexOf('-') + 1)
}

/** XREAD cursor meaning "after this index", whatever its generation (`-1` = from the start). */
export function afterIndex(index: number): string {
  return index < 0 ? '0-0' : `${index}-18446744073709551615`
}
