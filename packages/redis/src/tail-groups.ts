/**
 * Which logs the live tail reads together, and the two streams each such
 * group's XREAD adds: this process's wake stream (so a new subscription
 * interrupts a blocked read) and the deletions stream (deletions.ts).
 *
 * On a single node every log is in one group, read by one XREAD, with one
 * deletions stream per key prefix (`<prefix>deletions`). On a Redis Cluster
 * the keys of one XREAD must share a hash slot, so there is a group per slot
 * of the logs tailed, and its wake and deletions streams are keys in that
 * slot (`<prefix>{s<n>}:wake:<process>`, `<prefix>{s<n>}:deletions`, `{s<n>}`
 * found to land there). A deletion is announced on the deletions stream of
 * the run's slot, the one every process tailing that run reads with its log,
 * so no process misses one by reading fewer streams, and none reads a
 * deletions stream of a slot whose runs it does not tail.
 */
import { deletionsKeyOf } from './deletions.js'
import { keySlot, slotTagFor } from './slots.js'

export interface TailGroup {
  /** Tells groups apart (the slot on a cluster). */
  id: string
  wakeKey: string
  deletionsKey: string
}

export interface TailGroups {
  /** The group a log is read in. */
  of(logKey: string): TailGroup
  /** Whether a group is worth a connection only while it has logs to read (a cluster's per-slot groups). */
  readonly perSlot: boolean
}

/** One group for every log: the layout before clusters, unchanged, so processes of either version share a node. */
export function singleNodeGroups(prefix: string, processId: string): TailGroups {
  const group: TailGroup = { id: 'all', wakeKey: `${prefix}wake:${processId}`, deletionsKey: deletionsKeyOf(prefix) }
  return { of: () => group, perSlot: false }
}

/**
 * A group per hash slot. `clientPrefix` is the client's own key prefix
 * (ioredis `keyPrefix`), which the server hashes with the key.
 */
export function clusterGroups(prefix: string, clientPrefix: string, processId: string): TailGroups {
  const groups = new Map<number, TailGroup>()
  return {
    perSlot: true,
    of(logKey) {
      const slot = keySlot(clientPrefix + logKey)
      let group = groups.get(slot)
      if (!group) {
        const base = `${prefix}${slotTagFor(clientPrefix + prefix, slot)}`
        group = { id: String(slot), wakeKey: `${base}:wake:${processId}`, deletionsKey: `${base}:deletions` }
        groups.set(slot, group)
      }
      return group
    },
  }
}
