/**
 * Key layout. Every key of one run carries the run id as a hash tag
 * (`{runId}`), so a run's keys live in one Redis Cluster slot and the Lua
 * scripts that touch several of them stay legal there.
 */
export interface RunKeys {
  /** Hash: `record` (RunRecord JSON), `status`, `next` (the next event index). */
  run: string
  /** Stream: the event log; entry id `<index>-1`, field `e` = the event JSON. */
  log: string
  /** List: the step journal (JSON entries) that durable replay feeds back. */
  steps: string
  /** String: the executor lease, value = the owner's token. */
  lease: string
  /** String: set when some process asked the executor to abort. */
  abort: string
}

/** What Redis Cluster hashes a key by: the text of its first `{…}` if not empty, else (undefined) the whole key. */
function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{')
  const close = open === -1 ? -1 : key.indexOf('}', open + 1)
  return close > open + 1 ? key.slice(open + 1, close) : undefined
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

/** Stream entry id of an event index. Ids must be > 0-0, hence the `-1` sequence part. */
export function entryId(index: number): string {
  return `${index}-1`
}

/** The event index an entry id encodes. */
export function indexOfEntry(id: string): number {
  return Number(id.slice(0, id.indexOf('-')))
}

/** XREAD/XRANGE cursor meaning "after this index" (`-1` = from the start). */
export function afterIndex(index: number): string {
  return index < 0 ? '0-0' : entryId(index)
}
