import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { inMemoryRunStore, LeaseLostError, type RunStore, type StepJournalEntry } from '@stepstream/server'
import { Cluster, Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'
import { backends, clusterNodes, eventually, record, redisUrl, singleNode, testStore, uniquePrefix, type Backend } from './helpers.js'

const entry = (seq: string, value: unknown): StepJournalEntry => ({ type: 'settled', seq, command: 'now', name: 'now', outcome: { ok: true, value } })
const custom = (n: number): WorkflowEvent => ({ type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })

const microtasks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve()
}
const macrotasks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})
/** A store (one "process") on a backend, closed after the test. */
function storeOn(backend: Backend, options: Parameters<typeof testStore>[0] = {}) {
  const created = backend.store(options)
  closers.push(() => created.close())
  return created
}
const store = (options: Parameters<typeof testStore>[0] = {}) => storeOn(singleNode, options)

describe.each(backends)('redisRunStore on a $name: records', (backend) => {
  const store = (options: Parameters<typeof testStore>[0] = {}) => storeOn(backend, options)

  it('creates a run once, even when many processes race for the id', async () => {
    const prefix = uniquePrefix()
    const stores = Array.from({ length: 5 }, () => store({ prefix }))
    const results = await Promise.all(stores.flatMap((s) => [s.createRun(record('r1')), s.createRun(record('r1'))]))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await stores[3]!.getRun('r1')).toMatchObject({ runId: 'r1', status: 'running' })
  })

  it('replaces a record, refuses an unknown run, and returns copies', async () => {
    const s = store()
    expect(await s.getRun('nope')).toBeUndefined()
    await expect(s.setRun(record('nope'))).rejects.toThrow(/does not exist/)
    await s.createRun(record('r'))
    const changed = { ...record('r'), status: 'paused' as const, pending: { kind: 'approval' as const, approvalId: 'a', title: 'ok?' } }
    await s.setRun(changed)
    const read = await s.getRun('r')
    expect(read).toEqual(changed)
    expect(read).not.toBe(changed)
  })
})

describe('redisRunStore: run ids', () => {
  it('refuses an id that makes no hash tag (empty, or starting with "}"), writing nothing', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 60_000 })
    for (const runId of ['', '}r']) {
      await expect(s.createRun(record(runId))).rejects.toThrow(TypeError)
      await expect(s.getRun(runId)).rejects.toThrow(/hash tag/)
    }
    expect(await redis.keys(`${prefix}*`)).toEqual([])
  })

  it('refuses a key prefix whose empty `{}` would leave every run without a tag, and takes one with its own tag', async () => {
    expect(() => testStore({ prefix: 'app{}:' })).toThrow(/hash tag/)
    const tagged = store({ prefix: `{${uniquePrefix()}}:` })
    expect(await tagged.createRun(record('r'))).toBe(true)
    expect(await tagged.getRun('r')).toMatchObject({ runId: 'r' })
  })
})

describe.each(backends)('redisRunStore on a $name: the log', (backend) => {
  const store = (options: Parameters<typeof testStore>[0] = {}) => storeOn(backend, options)

  it('assigns dense indices with no loss or reordering when two processes append concurrently', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [store({ prefix }), store({ prefix })]
    await a.createRun(record('r'))
    const indices = await Promise.all(Array.from({ length: 200 }, (_, n) => (n % 2 ? a : b).append('r', custom(n))))
    expect([...indices].sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, n) => n))
    const log = await b.read('r', 0)
    expect(log.map((e) => e.index)).toEqual(Array.from({ length: 200 }, (_, n) => n))
    // Each event sits at the index its append returned.
    for (const [n, index] of indices.entries()) expect(log[index]!.event).toEqual(custom(n))
    expect(await a.lastIndex('r')).toBe(199)
  })

  it('reads from any index, pages through long logs, and knows empty and unknown logs', async () => {
    const s = store()
    expect(await s.lastIndex('r')).toBe(-1)
    expect(await s.read('r', 0)).toEqual([])
    await s.createRun(record('r'))
    expect(await s.lastIndex('r')).toBe(-1)
    for (let n = 0; n < 2_500; n++) void s.append('r', custom(n))
    await s.append('r', custom(2_500))
    expect((await s.read('r', 0)).length).toBe(2_501)
    const tail = await s.read('r', 2_498)
    expect(tail.map((e) => e.index)).toEqual([2_498, 2_499, 2_500])
    expect(await s.read('r', 9_999)).toEqual([])
    expect((await s.read('r', -5))[0]!.index).toBe(0)
  })

  it('refuses to append to a run that does not exist', async () => {
    await expect(store().append('missing', custom(0))).rejects.toThrow(/does not exist/)
  })
})

describe.each(backends)('redisRunStore on a $name: subscriptions', (backend) => {
  const store = (options: Parameters<typeof testStore>[0] = {}) => storeOn(backend, options)

  it('delivers, in order and exactly once, every event appended after subscribe resolves, also from another process', async () => {
    const prefix = uniquePrefix()
    const [writer, reader] = [store({ prefix }), store({ prefix })]
    await writer.createRun(record('r'))
    await writer.append('r', custom(-1))
    const seen: IndexedEvent[] = []
    const unsubscribe = await reader.subscribe('r', (event) => seen.push(event))
    for (let n = 0; n < 300; n++) void writer.append('r', custom(n))
    await eventually(() => seen.length === 300)
    expect(seen.map((e) => e.index)).toEqual(Array.from({ length: 300 }, (_, n) => n + 1))
    unsubscribe()
    unsubscribe()
    expect(reader.subscriberCount()).toBe(0)
  })

  it('tails many runs at once (one connection on a single node, one per slot on a cluster) and keeps subscribers of one run independent', async () => {
    const prefix = uniquePrefix()
    const [writer, reader] = [store({ prefix }), store({ prefix })]
    const runs = Array.from({ length: 20 }, (_, n) => `run-${n}`)
    await Promise.all(runs.map((id) => writer.createRun(record(id))))
    const seen = new Map<string, number[]>()
    const unsubscribes = await Promise.all(
      runs.flatMap((id) => [0, 1].map((k) => reader.subscribe(id, (e) => seen.set(`${id}/${k}`, [...(seen.get(`${id}/${k}`) ?? []), e.index])))),
    )
    expect(reader.subscriberCount()).toBe(40)
    // Dropping one subscriber of a run leaves the other one fed.
    unsubscribes[0]!()
    await Promise.all(runs.flatMap((id) => [0, 1, 2].map((n) => writer.append(id, custom(n)))))
    await eventually(() => runs.every((id) => seen.get(`${id}/1`)?.length === 3))
    expect(seen.get('run-0/0')).toBeUndefined()
    for (const id of runs) expect(seen.get(`${id}/1`)).toEqual([0, 1, 2])
    unsubscribes.forEach((unsubscribe) => unsubscribe())
  })

  // Another process's deleteRun cannot forget this process's tail, and an
  // app may start a run under an id it used before (client-chosen ids).
  it('ends the subscriptions of a run another process deleted and feeds a new subscriber of the reused id from its start', async () => {
    const prefix = uniquePrefix()
    const [reader, writer] = [store({ prefix }), store({ prefix })]
    const deleted: string[] = []
    reader.onRunDeleted?.((id) => deleted.push(id))
    await writer.createRun(record('r'))
    const old: number[] = []
    await reader.subscribe('r', (event) => old.push(event.index))
    await Promise.all([0, 1, 2, 3, 4].map((n) => writer.append('r', custom(n))))
    await eventually(() => old.length === 5)
    await writer.deleteRun('r')
    await writer.createRun(record('r'))
    await writer.append('r', custom(0))
    const fresh: number[] = []
    await reader.subscribe('r', (event) => fresh.push(event.index))
    // The old run's subscription ended before the new one began, and the reader's listeners heard of it.
    expect(deleted).toEqual(['r'])
    expect(reader.subscriberCount()).toBe(1)
    for (let n = 1; n <= 6; n++) await writer.append('r', custom(n))
    await eventually(() => fresh.at(-1) === 6)
    expect(fresh).toEqual([1, 2, 3, 4, 5, 6])
    expect(old).toEqual([0, 1, 2, 3, 4])
  })

  it('ends the subscriptions of a run another process deleted once its new run under the same id writes past them', async () => {
    const prefix = uniquePrefix()
    const [reader, writer] = [store({ prefix }), store({ prefix })]
    const deleted: string[] = []
    reader.onRunDeleted?.((id) => deleted.push(id))
    await writer.createRun(record('r'))
    await writer.append('r', custom(0))
    const old: IndexedEvent[] = []
    await reader.subscribe('r', (event) => old.push(event))
    await writer.deleteRun('r')
    await writer.createRun(record('r'))
    for (let n = 100; n < 105; n++) await writer.append('r', custom(n))
    await eventually(() => deleted.length === 1)
    expect(deleted).toEqual(['r'])
    expect(old).toEqual([])
    expect(reader.subscriberCount()).toBe(0)
  })

  it('reports a followed run found deleted (or expired) by getRun, to this process\'s deletion listeners', async () => {
    const prefix = uniquePrefix()
    const [reader, writer] = [store({ prefix }), store({ prefix })]
    const deleted: string[] = []
    reader.onRunDeleted?.((id) => deleted.push(id))
    await writer.createRun(record('r'))
    await reader.subscribe('r', () => {})
    expect(await reader.getRun('r')).toMatchObject({ runId: 'r' })
    expect(deleted).toEqual([])
    await writer.deleteRun('r')
    expect(await reader.getRun('r')).toBeUndefined()
    expect(deleted).toEqual(['r'])
    expect(reader.subscriberCount()).toBe(0)
    // Once: the run is no longer followed.
    await reader.getRun('r')
    expect(deleted).toEqual(['r'])
  })

  // Written by a version before generations: no `gen` in the record, entry ids `<index>-1`.
  it('reads and tails a run written without a generation', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 60_000 }, backend)
    await s.createRun(record('r'))
    await redis.hdel(`${prefix}{r}:run`, 'gen')
    await s.append('r', custom(0))
    const seen: number[] = []
    await s.subscribe('r', (event) => seen.push(event.index))
    await s.append('r', custom(1))
    await eventually(() => seen.length === 1)
    expect(seen).toEqual([1])
    expect((await s.read('r', 0)).map((e) => e.event)).toEqual([custom(0), custom(1)])
    expect((await redis.xrange(`${prefix}{r}:log`, '-', '+')).map(([id]) => id)).toEqual(['0-1', '1-1'])
    expect(await s.getRun('r')).toMatchObject({ runId: 'r' })
    expect(s.subscriberCount()).toBe(1)
  })

  it('returns a no-op subscription for an unknown run', async () => {
    const s = store()
    const unsubscribe = await s.subscribe('missing', () => {})
    expect(s.subscriberCount()).toBe(0)
    unsubscribe()
  })
})

/** A store under a fresh prefix, and a raw client to look at its keys (TTLs). */
function storeToInspect(options: { ttl: number }, backend: Backend = singleNode) {
  const prefix = uniquePrefix()
  const s = storeOn(backend, { prefix, ...options })
  const redis = backend.rawClient()
  closers.push(async () => void (await redis.quit()))
  return { prefix, s, redis }
}

describe('redisRunStore: expiry and deletion', () => {
  it('keeps a running run a lease TTL + TTL (pushed back by its lease) and gives settled or paused runs the TTL, log and journal included', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 60_000 })
    // The default lease TTL is 10 s.
    const runningFor = async (key: string) => {
      const pttl = await redis.pttl(key)
      return pttl > 60_000 && pttl <= 70_000
    }
    await s.createRun(record('r'))
    await s.append('r', custom(0))
    await s.appendStep('r', entry('0', 1))
    const keys = [`${prefix}{r}:run`, `${prefix}{r}:log`, `${prefix}{r}:steps`]
    for (const key of keys) expect(await runningFor(key)).toBe(true)
    await s.setRun(record('r', { status: 'paused' }))
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0)
    for (const key of keys) expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000)
    await s.setRun(record('r', { status: 'running' }))
    for (const key of keys) expect(await runningFor(key)).toBe(true)
    await s.setRun(record('r', { status: 'finished' }))
    await s.append('r', custom(1))
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0)
    for (const key of keys) expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000)
  })

  it('counts a paused run\'s TTL from the deadline it waits for (a sleep longer than the TTL keeps its run)', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 60_000 })
    const deadline = new Date(Date.now() + 3_600_000).toISOString()
    await s.createRun(record('r'))
    await s.setRun(record('r', { status: 'paused', pending: { kind: 'signal', signalName: '__sleep', deadline } }))
    expect(await redis.pttl(`${prefix}{r}:run`)).toBeGreaterThan(3_600_000)
  })

  it('keeps runs, and abort requests, for a TTL of Infinity', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: Infinity })
    expect(await s.createRun(record('done', { status: 'finished' }))).toBe(true)
    await s.createRun(record('r'))
    await s.append('r', custom(0))
    await s.setRun(record('r', { status: 'paused' }))
    await s.requestAbort('r')
    for (const key of [`${prefix}{done}:run`, `${prefix}{r}:run`, `${prefix}{r}:log`]) expect(await redis.pttl(key)).toBe(-1)
    expect((await s.renewLease('r', 'nobody')).held).toBe(false)
  })

  it('keeps an abort request as long as the run: a paused run waiting past the TTL is still aborted at its rebuild', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 60_000 })
    const deadline = new Date(Date.now() + 3_600_000).toISOString()
    await s.createRun(record('r'))
    // The abort lands while the run runs, the run then pauses on a long sleep before its executor renews.
    await s.requestAbort('r')
    await s.setRun(record('r', { status: 'paused', pending: { kind: 'signal', signalName: '__sleep', deadline } }))
    expect(await redis.pttl(`${prefix}{r}:abort`)).toBeGreaterThan(3_600_000)
    // Landing during the pause, likewise.
    await redis.del(`${prefix}{r}:abort`)
    await s.requestAbort('r')
    expect(await redis.pttl(`${prefix}{r}:abort`)).toBeGreaterThan(3_600_000)
    // Resumed (running), it is kept with the run, which the holder's lease pushes back, until the holder takes it; settled, it goes with the run.
    await s.setRun(record('r', { status: 'running' }))
    expect(await redis.pttl(`${prefix}{r}:abort`)).toBeGreaterThan(60_000)
    await s.setRun(record('r', { status: 'failed' }))
    const left = await redis.pttl(`${prefix}{r}:abort`)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(60_000)
    await s.acquireLease('r', 'A')
    expect(await s.renewLease('r', 'A')).toEqual({ held: true, abortRequested: true })
  })

  it('takes a huge finite ttl as inMemoryRunStore does (no Redis error for an expiry past 64 bits)', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 1e300 })
    expect(await s.createRun(record('r', { status: 'finished' }))).toBe(true)
    await s.setRun(record('r', { status: 'aborted' }))
    expect(await redis.pttl(`${prefix}{r}:run`)).toBeGreaterThan(1e15)
  })

  it('drops an expired run entirely', async () => {
    const s = store({ ttl: 50 })
    await s.createRun(record('r', { status: 'finished' }))
    await eventually(async () => (await s.getRun('r')) === undefined)
    expect(await s.lastIndex('r')).toBe(-1)
  })

  it('deletes a run with its log and tells deletion listeners', async () => {
    const s = store()
    const deleted: string[] = []
    s.onRunDeleted?.((id) => deleted.push(id))
    await s.createRun(record('r'))
    await s.append('r', custom(0))
    await s.subscribe('r', () => {})
    await s.deleteRun('r')
    expect(await s.getRun('r')).toBeUndefined()
    expect(await s.read('r', 0)).toEqual([])
    expect(s.subscriberCount()).toBe(0)
    expect(deleted).toEqual(['r'])
  })

  // deleteRun forgets the run's tail once its script has answered. A subscribe
  // whose HGET of `next` ran before the deletion gets its reply first (one
  // connection, replies in order) and adds its tail with no await in between,
  // so the add lands before the forget and no tail outlives the run. Three
  // more awaits before the add are enough to break this (a tail, and
  // subscriberCount() 1, for a deleted run): this test is the guard.
  it('leaves no subscription behind when subscribe and deleteRun race, whatever their order (as inMemoryRunStore)', async () => {
    const redisStore = store()
    const memory = inMemoryRunStore()
    const stores = [
      { name: 'redis', s: redisStore as RunStore, subscribers: () => redisStore.subscriberCount() },
      { name: 'in-memory', s: memory as RunStore, subscribers: () => memory.stats().subscribers },
    ]
    // Microtask turns, then event-loop turns: the delete is sent before, with, or after the subscribe's HGET and its reply.
    const delays = [...Array.from({ length: 8 }, (_, n) => () => microtasks(n)), ...Array.from({ length: 4 }, (_, n) => () => macrotasks(n + 1))]
    for (const { name, s, subscribers } of stores) {
      for (const [k, delay] of delays.entries()) {
        for (const subscribeFirst of [true, false]) {
          const runId = `race-${k}-${subscribeFirst}`
          const deleted: string[] = []
          const stop = s.onRunDeleted!((id) => deleted.push(id))
          await s.createRun(record(runId))
          await s.append(runId, custom(0))
          const subscribe = async () => void (await s.subscribe(runId, () => {}))
          const remove = () => s.deleteRun(runId)
          const [first, second] = subscribeFirst ? [subscribe, remove] : [remove, subscribe]
          await Promise.all([first(), delay().then(second)])
          stop()
          expect({ name, k, subscribeFirst, deleted, subscribers: subscribers() }).toEqual({ name, k, subscribeFirst, deleted: [runId], subscribers: 0 })
        }
      }
    }
  })

  it('a create refused for a taken id writes nothing, and deleteRun leaves no key of the run behind', async () => {
    const { prefix, s, redis } = storeToInspect({ ttl: 60_000 })
    await s.createRun(record('r'))
    await s.acquireLease('r', 'A')
    await s.append('r', custom(0), { lease: 'A' })
    await s.appendStep('r', entry('0', 1), { lease: 'A' })
    await s.requestAbort('r')
    const before = new Map(await Promise.all((await redis.keys(`${prefix}*`)).map(async (key) => [key, await redis.dump(key)] as const)))
    expect(await s.createRun(record('r', { workflow: 'other', status: 'finished' }))).toBe(false)
    const after = new Map(await Promise.all((await redis.keys(`${prefix}*`)).map(async (key) => [key, await redis.dump(key)] as const)))
    expect(after).toEqual(before)
    // A running run's keys expire a lease TTL + TTL after the lease was last taken; the lease keeps its own.
    for (const key of before.keys()) expect(await redis.pttl(key)).toBeGreaterThan(key.endsWith(':lease') ? 0 : 60_000)
    await s.deleteRun('r')
    expect(await redis.keys(`${prefix}{r}*`)).toEqual([])
    // The id is free again.
    expect(await s.createRun(record('r'))).toBe(true)
  })

  it('deleting a run that does not exist tells no one and leaves the lease of a start under way', async () => {
    const s = store()
    const deleted: string[] = []
    s.onRunDeleted?.((id) => deleted.push(id))
    // A start takes the lease before it creates the run.
    expect(await s.acquireLease('new', 'A')).toBe(true)
    await s.deleteRun('new')
    expect(deleted).toEqual([])
    expect(await s.renewLease('new', 'A')).toEqual({ held: true, abortRequested: false })
    await s.createRun(record('new'))
    expect(await s.append('new', custom(0), { lease: 'A' })).toBe(0)
  })
})

describe.each(backends)('redisRunStore on a $name: leases and fencing', (backend) => {
  const store = (options: Parameters<typeof testStore>[0] = {}) => storeOn(backend, options)

  it('grants a lease to one owner at a time; only the owner renews or releases it', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [store({ prefix }), store({ prefix })]
    const results = await Promise.all([a.acquireLease('r', 'A'), b.acquireLease('r', 'B')])
    expect(results.filter(Boolean)).toHaveLength(1)
    const [winner, loser] = results[0] ? (['A', 'B'] as const) : (['B', 'A'] as const)
    expect(await a.renewLease('r', loser)).toEqual({ held: false, abortRequested: false })
    await a.releaseLease('r', loser)
    expect(await b.acquireLease('r', loser)).toBe(false)
    expect(await a.renewLease('r', winner)).toEqual({ held: true, abortRequested: false })
    await b.releaseLease('r', winner)
    expect(await a.acquireLease('r', loser)).toBe(true)
  })

  it('expires an unrenewed lease', async () => {
    const s = store({ leaseTtl: 50 })
    expect(await s.acquireLease('r', 'A')).toBe(true)
    await eventually(() => s.acquireLease('r', 'B'))
  })

  it('takes a fractional leaseTtl (Redis wants whole milliseconds)', async () => {
    const s = store({ leaseTtl: 1_000.5 })
    expect(await s.acquireLease('r', 'A')).toBe(true)
    expect(await s.renewLease('r', 'A')).toEqual({ held: true, abortRequested: false })
  })

  it('refuses fenced writes from an owner that lost the lease', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [store({ prefix }), store({ prefix })]
    await a.createRun(record('r'))
    await a.acquireLease('r', 'A')
    expect(await a.append('r', custom(0), { lease: 'A' })).toBe(0)
    await a.releaseLease('r', 'A')
    await b.acquireLease('r', 'B')
    await expect(a.append('r', custom(1), { lease: 'A' })).rejects.toBeInstanceOf(LeaseLostError)
    await expect(a.setRun(record('r', { status: 'finished' }), { lease: 'A' })).rejects.toBeInstanceOf(LeaseLostError)
    await expect(a.appendStep('r', entry('0', 1), { lease: 'A' })).rejects.toBeInstanceOf(LeaseLostError)
    expect(await b.append('r', custom(1), { lease: 'B' })).toBe(1)
    expect((await b.getRun('r'))!.status).toBe('running')
  })

  it('fences a write with an empty owner like any other (only no `lease` at all is unfenced)', async () => {
    const s = store()
    await s.createRun(record('r'))
    await s.acquireLease('r', 'B')
    await expect(s.append('r', custom(0), { lease: '' })).rejects.toBeInstanceOf(LeaseLostError)
    await expect(s.setRun(record('r', { status: 'finished' }), { lease: '' })).rejects.toBeInstanceOf(LeaseLostError)
    await expect(s.appendStep('r', entry('0', 1), { lease: '' })).rejects.toBeInstanceOf(LeaseLostError)
    expect(await s.lastIndex('r')).toBe(-1)
    await s.releaseLease('r', 'B')
    await s.acquireLease('r', '')
    expect(await s.append('r', custom(0), { lease: '' })).toBe(0)
  })

  it('keeps the step journal in order', async () => {
    const s = store()
    await s.createRun(record('r'))
    await s.appendStep('r', entry('0', 'a'))
    await s.appendStep('r', entry('1', { b: [1, 2] }))
    expect(await s.readSteps('r')).toEqual([entry('0', 'a'), entry('1', { b: [1, 2] })])
  })

  // ioredis' `stringNumbers` (for counters past 2^53) turns every integer reply into a string.
  it('renews the lease through a given client made with ioredis\' stringNumbers', async () => {
    const client = backend.name === 'cluster' ? new Cluster(clusterNodes(), { redisOptions: { stringNumbers: true } }) : new Redis(redisUrl(), { stringNumbers: true })
    const s = redisRunStore({ redis: client, keyPrefix: uniquePrefix() })
    closers.push(async () => {
      await s.close()
      await client.quit()
    })
    await s.createRun(record('r'))
    expect(await s.acquireLease('r', 'A')).toBe(true)
    await s.requestAbort('r')
    expect(await s.renewLease('r', 'A')).toEqual({ held: true, abortRequested: true })
    expect(await s.renewLease('r', 'A')).toEqual({ held: true, abortRequested: false })
    expect(await s.append('r', custom(0), { lease: 'A' })).toBe(0)
  })

  it('hands an abort request to the lease holder once, at its next renewal', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [store({ prefix }), store({ prefix })]
    await a.createRun(record('r'))
    await a.acquireLease('r', 'A')
    await b.requestAbort('r')
    expect(await b.renewLease('r', 'B')).toEqual({ held: false, abortRequested: false })
    expect(await a.renewLease('r', 'A')).toEqual({ held: true, abortRequested: true })
    expect(await a.renewLease('r', 'A')).toEqual({ held: true, abortRequested: false })
    // Unknown runs take no abort flag.
    await b.requestAbort('missing')
    expect(await a.acquireLease('missing', 'A')).toBe(true)
    expect(await a.renewLease('missing', 'A')).toEqual({ held: true, abortRequested: false })
  })
})
