import { LuaScript } from './lua-script.js'

/**
 * Lua scripts: each runs atomically inside Redis, which is what makes index
 * assignment, create-if-absent, lease fencing and TTL bookkeeping safe when
 * many processes share one store.
 *
 * Each is a `LuaScript` (EVALSHA with an EVAL fallback).
 *
 * Expiry rule (the server's `runRetentionMs`, as in the in-memory store): a
 * run whose status is not `running` expires `ttl` ms after its last status
 * change, or after the deadline it is paused on; any run with an infinite
 * `ttl` never expires (expiry '' below). A running run is held by its
 * executor's lease: it expires lease TTL + `ttl` after the lease was last
 * acquired or renewed (or after its record was written running), so a live
 * executor, which renews every third of the lease TTL, never loses it, and
 * one that crashed leaves it `ttl` after its lease lapsed, the retention a
 * settled run gets, whether or not anyone reads it (a reader in between
 * settles it with `executor_lost`). The log and journal (and a pending abort
 * request) follow the record's TTL.
 *
 * A fence is '' for an unfenced write, otherwise '=' followed by the lease
 * owner, so that an empty owner still fences.
 */

/** KEYS: run. ARGV: recordJson, status, expiryMs ('' = never), generation. Returns 1 if created, 0 if the id is taken. */
export const CREATE_RUN = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'status', ARGV[2], 'next', 0, 'gen', ARGV[4])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`)

/**
 * KEYS: run, log, steps, abort, lease. ARGV: recordJson, status, expiryMs ('' = never), fence.
 * Returns 1, -1 when the run does not exist, -2 when the caller lost the lease.
 * A pending abort request follows the record too: it must not outlive the
 * run, nor expire while a paused run waits (the rebuild after the wait looks for it).
 */
export const SET_RUN = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[4] ~= '' and redis.call('GET', KEYS[5]) ~= string.sub(ARGV[4], 2) then return -2 end
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'status', ARGV[2])
for i = 1, 4 do
  if ARGV[3] == '' then redis.call('PERSIST', KEYS[i]) else redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
end
return 1
`)

/**
 * KEYS: run, log, lease. ARGV: eventJson, fence.
 * Returns the new event's index, -1 when the run does not exist, -2 when the
 * caller no longer holds the lease (a stale executor must not write).
 * The entry id is `<index>-<generation>` (`-1` for a run created without one).
 */
export const APPEND = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) ~= string.sub(ARGV[2], 2) then return -2 end
local index = redis.call('HINCRBY', KEYS[1], 'next', 1) - 1
local generation = redis.call('HGET', KEYS[1], 'gen') or '1'
redis.call('XADD', KEYS[2], index .. '-' .. generation, 'e', ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return index
`)

/** KEYS: run, steps, lease. ARGV: entryJson, fence. Returns 1, -1 (no run) or -2 (lease lost). */
export const APPEND_STEP = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) ~= string.sub(ARGV[2], 2) then return -2 end
redis.call('RPUSH', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`)

/**
 * Pushes back the expiry of a running run's keys (KEYS[first] = run, then
 * log, steps, abort) to ARGV[expiryArg] ms ('' = keep them, `ttl` Infinity);
 * a run in any other status keeps the expiry its retention gave it.
 */
const pushBackRunningRun = (first: number, expiryArg: number): string => `
if ARGV[${expiryArg}] ~= '' and redis.call('HGET', KEYS[${first}], 'status') == 'running' then
  for i = ${first}, ${first + 3} do redis.call('PEXPIRE', KEYS[i], ARGV[${expiryArg}]) end
end`

/**
 * KEYS: lease, run, log, steps, abort. ARGV: owner, ttlMs, runningExpiryMs ('' = never).
 * Takes the lease if nobody holds it (SET NX PX); returns 1 if taken, else 0.
 * Taken for a running run, it pushes the run's expiry back. A lease taken
 * for a run not created yet (a start) touches nothing: CREATE_RUN gives the run its expiry.
 */
export const ACQUIRE_LEASE = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
${pushBackRunningRun(2, 3)}
return 1
`)

/**
 * KEYS: lease, run, log, steps, abort. ARGV: owner, ttlMs, runningExpiryMs ('' = never).
 * Returns { held, abortRequested }: extends the lease if the owner still
 * holds it (and with it the expiry of its running run), and hands over
 * (once) an abort another process requested.
 */
export const RENEW_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0, 0} end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
${pushBackRunningRun(2, 3)}
local abort = redis.call('DEL', KEYS[5])
return {1, abort}
`)

/**
 * KEYS: run, abort. Flags an abort request for a run that exists; the flag
 * expires with the record (never, while the run has no expiry), as the
 * in-memory store keeps it until the holder's renewal takes it or the run is dropped.
 */
export const REQUEST_ABORT = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[2], '1', 'PX', ttl) else redis.call('SET', KEYS[2], '1') end
return 1
`)

/**
 * KEYS: run, log, steps, abort, lease, deletions. ARGV: the log's key as the
 * store names it, entries kept, kept for (ms), the deleting store's id. Drops a run; returns the
 * generation it had ('1' for a run written without one), or nil when it did
 * not exist. The lease goes only with an existing run: one taken for a run
 * not yet created belongs to a start under way (as in inMemoryRunStore).
 * An existing run's deletion is announced in the same script (deletions.ts);
 * on a cluster the deletions stream given is one in the run's slot.
 */
export const DELETE_RUN = new LuaScript(`
local generation = redis.call('HGET', KEYS[1], 'gen') or '1'
local existed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
if existed == 0 then return false end
redis.call('DEL', KEYS[5])
redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[2], '*', 'k', ARGV[1], 'g', generation, 'p', ARGV[4])
redis.call('PEXPIRE', KEYS[6], ARGV[3])
return generation
`)

/** KEYS: lease. ARGV: owner. Deletes the lease only if the owner holds it. */
export const RELEASE_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)
