import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { LeaseLostError } from '../errors.js'
import { readRange } from './read-range.js'
import { runRetentionMs } from './run-retention.js'
import { assertStoreDurations } from './store-durations.js'
import type { RunRecord, RunStore, StepJournalEntry, Unsubscribe, WriteOptions } from './run-store.js'

/** Options of `inMemoryRunStore`. */
export interface InMemoryRunStoreOptions {
  /**
   * Milliseconds after which a finished, failed, aborted or idle paused run
   * is dropped (measured from its last status change, or from the deadline
   * a paused run waits for). Default: 1 hour;
   * `Infinity` keeps them until `deleteRun`; NaN or a negative number is a `TypeError`.
   */
  ttl?: number
  /** Executor lease length (one process, so it only matters to tests). Default: 30 s; finite and more than 0. */
  leaseTtl?: number
}

/** What `stats()` counts: stored runs, stored events, open subscriptions. */
export interface InMemoryRunStoreStats {
  runs: number
  events: number
  /** Open subscriptions over all runs: 0 when no response is reading. */
  subscribers: number
}

/** The store `inMemoryRunStore` returns: a `RunStore` plus `stats()`. */
export interface InMemoryRunStore extends RunStore {
  stats(): InMemoryRunStoreStats
}

interface StoredRun {
  record: RunRecord
  events: WorkflowEvent[]
  steps: StepJournalEntry[]
  listeners: Set<(event: IndexedEvent) => void>
  expiry: ReturnType<typeof setTimeout> | undefined
}

/** How long an ended or idle paused run is kept when `ttl` is not given (1 hour). */
export const DEFAULT_RUN_TTL_MS = 60 * 60 * 1000
const DEFAULT_LEASE_TTL_MS = 30_000
const MAX_TIMER_MS = 2 ** 31 - 1

interface Lease {
  owner: string
  expiresAt: number
}

/** A `RunStore` in process memory: one server process, runs lost on restart. */
export function inMemoryRunStore(options: InMemoryRunStoreOptions = {}): InMemoryRunStore {
  const ttl = options.ttl ?? DEFAULT_RUN_TTL_MS
  const leaseTtlMs = options.leaseTtl ?? DEFAULT_LEASE_TTL_MS
  assertStoreDurations('inMemoryRunStore', ttl, leaseTtlMs)
  const runs = new Map<string, StoredRun>()
  // Leases and abort requests live outside the run: a lease is taken before the run exists.
  const leases = new Map<string, Lease>()
  const abortRequests = new Set<string>()
  const deletionListeners = new Set<(runId: string) => void>()

  function holder(runId: string): string | undefined {
    const lease = leases.get(runId)
    if (lease && lease.expiresAt <= Date.now()) leases.delete(runId)
    return leases.get(runId)?.owner
  }

  function checkFence(runId: string, options: WriteOptions | undefined): void {
    if (options?.lease !== undefined && holder(runId) !== options.lease) throw new LeaseLostError(runId)
  }

  function mustGet(runId: string): StoredRun {
    const run = runs.get(runId)
    if (!run) throw new Error(`Run ${runId} does not exist in the store`)
    return run
  }

  // Only settled or waiting runs expire; a running run is never dropped under its own feet.
  function scheduleExpiry(runId: string, run: StoredRun): void {
    if (run.expiry) clearTimeout(run.expiry)
    run.expiry = undefined
    const retention = runRetentionMs(run.record, ttl)
    if (retention !== undefined) armExpiry(runId, run, retention)
  }

  // setTimeout fires a delay past 2^31-1 ms at once, so a long ttl is waited for in laps.
  function armExpiry(runId: string, run: StoredRun, remaining: number): void {
    const lap = Math.min(remaining, MAX_TIMER_MS)
    run.expiry = setTimeout(() => (lap < remaining ? armExpiry(runId, run, remaining - lap) : drop(runId)), lap)
    // Expiry timers must not keep a process alive on their own.
    if (typeof run.expiry === 'object' && 'unref' in run.expiry) run.expiry.unref()
  }

  function drop(runId: string): void {
    const run = runs.get(runId)
    if (!run) return
    if (run.expiry) clearTimeout(run.expiry)
    run.listeners.clear()
    runs.delete(runId)
    leases.delete(runId)
    abortRequests.delete(runId)
    for (const listener of deletionListeners) listener(runId)
  }

  return {
    async createRun(record) {
      if (runs.has(record.runId)) return false
      const run: StoredRun = { record: structuredClone(record), events: [], steps: [], listeners: new Set(), expiry: undefined }
      runs.set(record.runId, run)
      scheduleExpiry(record.runId, run)
      return true
    },
    async getRun(runId) {
      const run = runs.get(runId)
      // Copies, so the engine sees the same semantics a networked store would give it.
      return run ? structuredClone(run.record) : undefined
    },
    async setRun(record, writeOptions) {
      const run = mustGet(record.runId)
      checkFence(record.runId, writeOptions)
      run.record = structuredClone(record)
      scheduleExpiry(record.runId, run)
    },
    async append(runId, event, writeOptions) {
      const run = mustGet(runId)
      checkFence(runId, writeOptions)
      // Copies in and out, as for records: whoever reads an event (a host
      // shaping what it sends, say) must not be able to change the log.
      const index = run.events.push(structuredClone(event)) - 1
      for (const listener of [...run.listeners]) {
        try {
          listener({ index, event: structuredClone(event) })
        } catch {
          // A faulty reader must not stop the run or other readers.
        }
      }
      return index
    },
    async read(runId, fromIndex, readOptions) {
      const { start, end } = readRange(fromIndex, readOptions)
      const run = runs.get(runId)
      if (!run) return []
      return run.events.slice(start, end).map((event, offset) => ({ index: start + offset, event: structuredClone(event) }))
    },
    async lastIndex(runId) {
      return (runs.get(runId)?.events.length ?? 0) - 1
    },
    // No `onFailure`: in one process, a subscription is delivered to for as long as it lasts.
    async subscribe(runId, listener): Promise<Unsubscribe> {
      const run = runs.get(runId)
      if (!run) return () => {}
      // Wrapped so subscribing the same function twice gives two subscriptions.
      const subscription = (event: IndexedEvent) => listener(event)
      run.listeners.add(subscription)
      return () => {
        run.listeners.delete(subscription)
      }
    },
    async deleteRun(runId) {
      drop(runId)
    },
    async appendStep(runId, entry, writeOptions) {
      const run = mustGet(runId)
      checkFence(runId, writeOptions)
      run.steps.push(structuredClone(entry))
    },
    async readSteps(runId) {
      return structuredClone(runs.get(runId)?.steps ?? [])
    },
    leaseTtlMs,
    async acquireLease(runId, owner) {
      if (holder(runId) !== undefined) return false
      leases.set(runId, { owner, expiresAt: Date.now() + leaseTtlMs })
      return true
    },
    async renewLease(runId, owner) {
      if (holder(runId) !== owner) return { held: false, abortRequested: false }
      leases.set(runId, { owner, expiresAt: Date.now() + leaseTtlMs })
      // Handed over once, and only to the holder: a process that lost the lease must not swallow it.
      return { held: true, abortRequested: abortRequests.delete(runId) }
    },
    async releaseLease(runId, owner) {
      if (holder(runId) === owner) leases.delete(runId)
    },
    async requestAbort(runId) {
      if (runs.has(runId)) abortRequests.add(runId)
    },
    onRunDeleted(listener) {
      deletionListeners.add(listener)
      return () => {
        deletionListeners.delete(listener)
      }
    },
    stats() {
      let events = 0
      let subscribers = 0
      for (const run of runs.values()) {
        events += run.events.length
        subscribers += run.listeners.size
      }
      return { runs: runs.size, events, subscribers }
    },
  }
}
