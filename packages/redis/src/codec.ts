import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { indexOfEntry } from './keys.js'

/** A stream entry as Redis returns it: `[id, [field, value, …]]`. */
export type RawEntry = [id: string, fields: string[]]

export function decodeEntries(entries: readonly RawEntry[]): IndexedEvent[] {
  return entries.map(decodeEntry)
}

/** Throws on an entry this store did not write (no `e` field, not JSON). */
export function decodeEntry([id, fields]: RawEntry): IndexedEvent {
  return { index: indexOfEntry(id), event: JSON.parse(fieldOf(fields, 'e')) as WorkflowEvent }
}

/** The value of an entry's field; throws when it has none. */
export function fieldOf(fields: readonly string[], name: string): string {
  const value = optionalFieldOf(fields, name)
  if (value === undefined) throw new Error(`Stream entry has no "${name}" field`)
  return value
}

/** The value of an entry's field, `undefined` when it has none. */
function optionalFieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!
  return undefined
}
