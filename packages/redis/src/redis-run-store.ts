/**
 * A `RunStore` on Redis, shared by any number of server processes:
 * - the event log is a Stream per run (entry id `<index>-1`), so replay from
 *   any index is one XRANGE and the live tail a blocking XREAD;
 * - the record is a hash (`record` JSON, `status`, `next` index counter);
 * - index assignment, create-if-absent and TTL bookkeeping are Lua scripts,
 *   so concurrent writers and readers never see a lost, reused or reordered index;
 * - an executor lease (SET NX PX) lets exactly one process drive a run, and
 *   fenced writes refuse a process that lost it; while running, a run
 *   expires a lease TTL + `ttl` after its lease was last taken or renewed,
 *   so the run of a crashed executor does not stay for ever;
 * - each creation of a run draws a generation, carried in its log's entry
 *   ids, so a process learns that another one deleted a run it follows (and
 *   maybe began a new one under the same id) and tells its deletion listeners;
 *   `deleteRun` also announces the deletion to every process's live tail;
 * - it runs on a single node or a Redis Cluster (an ioredis `Cluster`): a
 *   run's keys share a hash slot, and the live tail reads each slot's logs
 *   apart (tail-groups.ts).
 */
import { assertStoreDurations, LeaseLostError, readRange, runRetentionMs, type RunRecord, type RunStore, type StepJournalEntry, type Unsubscribe, type WriteOptions } from '@stepstream/server'
import { Redis, type Cluster } from 'ioredis'
import { blockingDuplicate, clientKeyPrefixOf, type RedisClient } from './client.js'
import { ClientGate, type ClientFor } from './closed.js'
import { DELETIONS_KEPT, DELETIONS_KEPT_FOR_MS } from './deletions.js'
import { DeletesInFlight } from './deletes-in-flight.js'
import { newGeneration, runKeys, UNKNOWN_GENERATION, type RunKeys } from './keys.js'
import type { LuaScript } from './lua-script.js'
import { readLog } from './read-log.js'
import { ACQUIRE_LEASE, APPEND, APPEND_STEP, CREATE_RUN, DELETE_RUN, RELEASE_LEASE, RENEW_LEASE, REQUEST_ABORT, SET_RUN } from './scripts.js'
import { BLOCKING_SOCKET_TIMEOUT_MS, StreamTail } from './stream-tail.js'
import { clusterGroups, singleNodeGroups } from './tail-groups.js'

/** Options of `redisRunStore`: a client (`redis`) or a `url`, the rest optional. */
export interface RedisRunStoreOptions {
  /**
   * An ioredis client to use (not closed by `close()`): a `Redis` or, for a
   * Redis Cluster, a `Cluster`. The store duplicates it for blocking reads
   * (on a cluster, one duplicate per hash slot it live-tails).
   */
  redis?: Redis | Cluster
  /** Or a connection URL (`redis://127.0.0.1:6379/0`); the store owns and closes these connections. */
  url?: string
  /**
   * Milliseconds after which a finished, failed, aborted or idle paused run
   * is dropped (from its last status change, or from the deadline a paused
   * run waits for), as in `inMemoryRunStore`. Default: 1 hour; `Infinity`
   * keeps runs until `deleteRun`; NaN or a negative number is a `TypeError`.
   */
  ttl?: number
  /** Prefix of every key (default `stepstream:`), to share a database with other data. */
  keyPrefix?: string
  /** Executor lease length; the executor renews it every third of this. Default: 10 s; more than 0 and finite (else a `TypeError`). */
  leaseTtl?: number
}

/** A `RunStore` on Redis Streams, shared by every server process that uses the same Redis and `keyPrefix`. */
export interface RedisRunStore extends RunStore {
  /** Live subscriptions held by this process (0 when no response is reading). */
  subscriberCount(): number
  /**
   * Closes the store's connections (and the given client's duplicate); in-flight tails end.
   * Final: every later call, and the next command of a call under way, rejects with `RunStoreClosedError`
   * and sends nothing; a subscription (nothing would ever reach it) is a no-op instead.
   */
  close(): Promise<void>
}

export const DEFAULT_RUN_TTL_MS = 60 * 60 * 1000
/** The executor lease length `redisRunStore` uses when `leaseTtl` is not given (10 s). */
export const DEFAULT_LEASE_TTL_MS = 10_000

/**
 * A `RunStore` on Redis, for several server processes behind any load
 * balancer: a Stream per run log, a hash per run record, and a Lua script for
 * every write that must be atomic (index assignment, fenced writes, leases).
 * Throws a `TypeError` without `redis` or `url`.
 */
export function redisRunStore(options: RedisRunStoreOptions): RedisRunStore {
  if (!options.redis && !options.url) throw new TypeError('redisRunStore needs `redis` (an ioredis client) or `url`')
  const ttl = options.ttl ?? DEFAULT_RUN_TTL_MS
  const leaseTtl = options.leaseTtl ?? DEFAULT_LEASE_TTL_MS
  assertStoreDurations('redisRunStore', ttl, leaseTtl)
  // SET PX and PEXPIRE take a whole number of milliseconds (more than 0, as checked).
  const leaseTtlMs = Math.ceil(leaseTtl)
  // Redis takes whole milliseconds; '' tells the scripts to keep the keys.
  // Capped, as PEXPIRE refuses an expiry past 64 bits (and String(1e300) is
  // '1e+300'); 2^53 ms is some 285,000 years.
  const millis = (ms: number | undefined): string => (ms === undefined ? '' : String(Math.min(Math.ceil(ms), Number.MAX_SAFE_INTEGER)))
  // A running run, which `runRetentionMs` keeps for good, is kept here while
  // its executor's lease is: each acquire and renewal of the lease (and each
  // write of its record as running) sets its keys to expire a lease TTL plus
  // `ttl` later. A live executor renews long before that; a crashed one stops,
  // and its run goes `ttl` after the lease lapsed, read or not.
  const runningExpiry = millis(Number.isFinite(ttl) ? leaseTtlMs + Math.max(0, ttl) : undefined)
  const expiryOf = (record: RunRecord): string => (record.status === 'running' ? runningExpiry : millis(runRetentionMs(record, ttl)))
  const prefix = options.keyPrefix ?? 'stepstream:'
  // A prefix that can make no hash tag (`{}`) fails here, not at the first run.
  runKeys(prefix, 'r')
  const ownsClient = !options.redis
  const redis: RedisClient = options.redis ?? new Redis(options.url!)
  // On a cluster the server hashes the client's own keyPrefix with ours: checked together.
  if (redis.isCluster) runKeys(clientKeyPrefixOf(redis) + prefix, 'r')
  const deletionListeners = new Set<(runId: string) => void>()
  const runDeleted = (runId: string): void => {
    for (const listener of [...deletionListeners]) {
      try {
        listener(runId)
      } catch {
        // One listener's failure must not keep the others from hearing of it.
      }
    }
  }
  // A run this process follows that another process deleted (or that
  // expired) is reported here once this process notices.
  const processId = crypto.randomUUID()
  const groups = redis.isCluster ? clusterGroups(prefix, clientKeyPrefixOf(redis), processId) : singleNodeGroups(prefix, processId)
  const deletes = new DeletesInFlight()
  const tailEnded = (runId: string): void => {
    deletes.heard(runId)
    runDeleted(runId)
  }
  // Every command of the store's own goes through the gate, which close() shuts.
  const gate = new ClientGate(redis)
  const client: ClientFor = () => gate.client
  const tail = new StreamTail(redis, () => blockingDuplicate(redis, BLOCKING_SOCKET_TIMEOUT_MS), groups, tailEnded)
  const keysOf = (runId: string): RunKeys => runKeys(prefix, runId)
  /** The generation of a run read with its `next` counter (`undefined`: no such run). */
  const generationOf = (next: string | null, generation: string | null): string | undefined =>
    next === null ? undefined : (generation ?? UNKNOWN_GENERATION)

  async function script(lua: LuaScript, keys: string[], args: Array<string | number>): Promise<number> {
    return Number(await lua.run(client, keys, args))
  }

  // The scripts' fence argument: '' = unfenced, '=<owner>' = only while owner holds the lease (an empty owner included).
  const fenceOf = (writeOptions: WriteOptions | undefined): string => (writeOptions?.lease === undefined ? '' : `=${writeOptions.lease}`)

  function fenced(result: number, runId: string): number {
    if (result === -1) throw new Error(`Run ${runId} does not exist in the store`)
    if (result === -2) throw new LeaseLostError(runId)
    return result
  }

  return {
    leaseTtlMs,

    async createRun(record) {
      const keys = keysOf(record.runId)
      const generation = newGeneration()
      const created = (await script(CREATE_RUN, [keys.run], [JSON.stringify(record), record.status, expiryOf(record), generation])) === 1
      // Whatever this process still followed under this id belonged to a run that is gone.
      if (created) tail.observe(keys.log, generation)
      return created
    },

    async getRun(runId) {
      const keys = keysOf(runId)
      const [json, next, generation] = await client().hmget(keys.run, 'record', 'next', 'gen')
      // Before the caller acts on what it read: a run it follows that is gone (or new) ends first.
      tail.observe(keys.log, generationOf(next ?? null, generation ?? null))
      return json === null || json === undefined ? undefined : (JSON.parse(json) as RunRecord)
    },

    async setRun(record, writeOptions) {
      const keys = keysOf(record.runId)
      const result = await script(
        SET_RUN,
        [keys.run, keys.log, keys.steps, keys.abort, keys.lease],
        [JSON.stringify(record), record.status, expiryOf(record), fenceOf(writeOptions)],
      )
      fenced(result, record.runId)
    },

    async append(runId, event, writeOptions) {
      const keys = keysOf(runId)
      const result = await script(APPEND, [keys.run, keys.log, keys.lease], [JSON.stringify(event), fenceOf(writeOptions)])
      return fenced(result, runId)
    },

    async read(runId, fromIndex, readOptions) {
      // Any number read as every store reads it (a fraction from the next index, NaN refused), never sent as a stream id.
      const { start, end } = readRange(fromIndex, readOptions)
      if (start === Infinity) return []
      const key = keysOf(runId).log
      // Taken before reading: a reader of a run this process follows (one
      // paging through a long log as it catches up) reads that run only,
      // even if it was deleted and its id taken again without a word.
      const followed = tail.followedGeneration(key)
      const { events, otherGeneration } = await readLog(client, key, start, end === undefined ? Infinity : end - start, followed)
      // The followed run is gone: its subscriptions end, and its deletion listeners hear of it, before this returns.
      if (otherGeneration !== undefined) tail.observe(key, otherGeneration)
      return events
    },

    async lastIndex(runId) {
      const next = await client().hget(keysOf(runId).run, 'next')
      return next === null ? -1 : Number(next) - 1
    },

    async subscribe(runId, listener, options): Promise<Unsubscribe> {
      // Once closed, a subscription (nothing would ever reach it) is a no-op that sends nothing.
      if (gate.isClosed) return () => {}
      const keys = keysOf(runId)
      const [next, found] = await client().hmget(keys.run, 'next', 'gen')
      const generation = generationOf(next ?? null, found ?? null)
      if (generation === undefined) {
        tail.observe(keys.log, undefined)
        return () => {}
      }
      const unsubscribe = await tail.add(runId, keys.log, generation, Number(next) - 1, listener, options?.onFailure)
      // Closed meanwhile: the tail took nothing (StreamTail.add), and there is nothing to look at again.
      if (gate.isClosed) return unsubscribe
      // A deletion announced since the read above may have been read by this
      // process's tail before the new tail was in place, ending nothing. The
      // tail is in place now: a deletion before this look is seen here, and
      // one after it is announced where the tail will read it.
      try {
        const [nextNow, generationNow] = await client().hmget(keys.run, 'next', 'gen')
        tail.observe(keys.log, generationOf(nextNow ?? null, generationNow ?? null))
      } catch (error) {
        unsubscribe()
        throw error
      }
      return unsubscribe
    },

    async deleteRun(runId) {
      const keys = keysOf(runId)
      const deletionsKey = groups.of(keys.log).deletionsKey
      // Gone already (expired, which nobody announces, or deleted by a process whose word is not read yet):
      // the tail is dropped below, so its readers hear of it from here or from no one.
      const followed = tail.follows(keys.log)
      const { result: generation, told } = await deletes.run(
        runId,
        async () =>
          (await DELETE_RUN.run(
            client,
            [keys.run, keys.log, keys.steps, keys.abort, keys.lease, deletionsKey],
            [keys.log, DELETIONS_KEPT, DELETIONS_KEPT_FOR_MS, processId],
          )) as string | null,
      )
      tail.forget(keys.log)
      if (told || (generation === null && !followed)) return
      runDeleted(runId)
    },

    onRunDeleted(listener) {
      deletionListeners.add(listener)
      return () => {
        deletionListeners.delete(listener)
      }
    },

    async acquireLease(runId, owner) {
      const keys = keysOf(runId)
      // A run this process follows may be gone. Told of it only once the new
      // run under this id is executing, the engine's deletion listener would
      // stop that execution: it knows executions by run id, not by run.
      if (tail.follows(keys.log)) {
        const [next, generation] = await client().hmget(keys.run, 'next', 'gen')
        tail.observe(keys.log, generationOf(next ?? null, generation ?? null))
      }
      return (await script(ACQUIRE_LEASE, [keys.lease, keys.run, keys.log, keys.steps, keys.abort], [owner, leaseTtlMs, runningExpiry])) === 1
    },

    async renewLease(runId, owner) {
      const keys = keysOf(runId)
      // Number(): a client made with ioredis' `stringNumbers` answers integers as strings.
      const [held, abort] = ((await RENEW_LEASE.run(client, [keys.lease, keys.run, keys.log, keys.steps, keys.abort], [owner, leaseTtlMs, runningExpiry])) as [unknown, unknown]).map(Number)
      return { held: held === 1, abortRequested: held === 1 && abort === 1 }
    },

    async requestAbort(runId) {
      const keys = keysOf(runId)
      await script(REQUEST_ABORT, [keys.run, keys.abort], [])
    },

    async releaseLease(runId, owner) {
      await script(RELEASE_LEASE, [keysOf(runId).lease], [owner])
    },

    async appendStep(runId, entry, writeOptions) {
      const keys = keysOf(runId)
      fenced(await script(APPEND_STEP, [keys.run, keys.steps, keys.lease], [JSON.stringify(entry), fenceOf(writeOptions)]), runId)
    },

    async readSteps(runId) {
      const items = await client().lrange(keysOf(runId).steps, 0, -1)
      return items.map((item) => JSON.parse(item) as StepJournalEntry)
    },

    subscriberCount: () => tail.size,

    async close() {
      gate.close()
      tail.close()
      if (ownsClient) await redis.quit().catch(() => {})
    },
  }
}
