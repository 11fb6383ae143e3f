/**
 * A running run must never be dropped under its live executor, and must not
 * stay in Redis for ever when its executor is gone. The executor's lease
 * pushes the run's expiry back at each acquire and renewal (lease TTL + the
 * store's `ttl` from then): a process that crashed stops renewing, so its
 * runs go `ttl` after their lease lapsed, whether or not anyone reads them
 * (a reader in between still settles them with `executor_lost`).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { StepJournalEntry } from '@stepstream/server'
import { createWorkflowHandler, defineAgent, defineWorkflow, toNodeListener } from '@stepstream/server'
import type { WorkflowEvent } from '@stepstream/protocol'
import type { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { RedisRunStore } from '@stepstream/redis'
import { startServerProcess, stopAll, type ServerProcess } from './cluster/cluster.js'
import { post, readSse, resume, runIdOf, types } from './cluster/sse.js'
import { eventually, rawClient, record, redisUrl, testStore, uniquePrefix } from './helpers.js'

const entry = (seq: string): StepJournalEntry => ({ type: 'settled', seq, command: 'now', name: 'now', outcome: { ok: true, value: 1 } })
const custom = (n: number): WorkflowEvent => ({ type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })

const redis = rawClient()
afterAll(async () => {
  await redis.quit()
})
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})
function store(options: Parameters<typeof testStore>[0]): RedisRunStore {
  const created = testStore(options)
  closers.push(() => created.close())
  return created
}

/** Every key of run `runId` under `prefix` (the lease included), with its PTTL. */
async function keysOfRun(client: Redis, prefix: string, runId: string): Promise<Map<string, number>> {
  const keys = (await client.keys(`${prefix}{${runId}}:*`)).sort()
  return new Map(await Promise.all(keys.map(async (key) => [key.slice(`${prefix}{${runId}}:`.length), await client.pttl(key)] as const)))
}

/** Each key expires, and no later than `bound` ms from now. */
/** Writes every key a run owns (record, log, journal, abort request), with `lease` fencing the writes if given. */
async function writeEveryKey(s: RedisRunStore, runId: string, lease?: string): Promise<void> {
  await s.createRun(record(runId))
  if (lease) await s.renewLease(runId, lease)
  expect(await s.append(runId, custom(0), lease ? { lease } : undefined)).toBe(0)
  await s.appendStep(runId, entry('0'), lease ? { lease } : undefined)
  await s.requestAbort(runId)
}

function expectBounded(keys: Map<string, number>, bound: number): void {
  for (const [key, pttl] of keys) {
    expect({ key, expires: pttl > 0 }).toEqual({ key, expires: true })
    expect(pttl, key).toBeLessThanOrEqual(bound)
  }
}

describe('a running run whose executor stopped renewing its lease (store API)', () => {
  it('is dropped with every key it owns, lease TTL + ttl after the last acquire or renewal, though nobody reads it', async () => {
    const prefix = uniquePrefix()
    const leaseTtl = 200
    const ttl = 300
    const s = store({ prefix, ttl, leaseTtl })
    // A start: the lease first, then the record; the executor writes, someone asks for an abort; then the process dies.
    expect(await s.acquireLease('r', 'A')).toBe(true)
    await writeEveryKey(s, 'r', 'A')
    const keys = await keysOfRun(redis, prefix, 'r')
    expect([...keys.keys()]).toEqual(['abort', 'lease', 'log', 'run', 'steps'])
    expectBounded(keys, leaseTtl + ttl)
    // Nobody renews, nobody reads: everything goes.
    await eventually(async () => (await redis.keys(`${prefix}{r}*`)).length === 0, 10_000)
    expect(await s.getRun('r')).toBeUndefined()
    expect(await s.read('r', 0)).toEqual([])
    expect(await s.readSteps('r')).toEqual([])
  })

  it('gives a running run created with no lease held a bounded expiry too', async () => {
    const prefix = uniquePrefix()
    const s = store({ prefix, ttl: 60_000, leaseTtl: 10_000 })
    await writeEveryKey(s, 'r')
    const keys = await keysOfRun(redis, prefix, 'r')
    expect([...keys.keys()]).toEqual(['abort', 'log', 'run', 'steps'])
    expectBounded(keys, 70_000)
  })

  it('pushes every key of a running run back at each acquire and renewal, not those of a paused run', async () => {
    const prefix = uniquePrefix()
    const s = store({ prefix, ttl: 60_000, leaseTtl: 10_000 })
    await writeEveryKey(s, 'r')
    const runKeys = ['run', 'log', 'steps', 'abort'].map((name) => `${prefix}{r}:${name}`)
    // Time passing, without waiting: the keys are about to expire.
    const nearlyGone = async () => {
      for (const key of runKeys) await redis.pexpire(key, 1_000)
    }
    const expectPushedBack = async () => {
      for (const key of runKeys) {
        const pttl = await redis.pttl(key)
        expect(pttl, key).toBeGreaterThan(60_000)
        expect(pttl, key).toBeLessThanOrEqual(70_000)
      }
    }
    await nearlyGone()
    expect(await s.acquireLease('r', 'A')).toBe(true)
    await expectPushedBack()
    await nearlyGone()
    expect(await s.renewLease('r', 'A')).toEqual({ held: true, abortRequested: true })
    await s.requestAbort('r')
    await nearlyGone()
    expect(await s.renewLease('r', 'A')).toEqual({ held: true, abortRequested: true })
    for (const key of runKeys.slice(0, 3)) expect(await redis.pttl(key)).toBeGreaterThan(60_000)
    // Someone else's renewal changes nothing.
    await nearlyGone()
    expect((await s.renewLease('r', 'B')).held).toBe(false)
    for (const key of runKeys.slice(0, 3)) expect(await redis.pttl(key)).toBeLessThanOrEqual(1_000)
    // Paused, the run follows its retention (`ttl`); holding its lease does not extend it.
    await s.setRun(record('r', { status: 'paused' }), { lease: 'A' })
    await s.requestAbort('r')
    await s.renewLease('r', 'A')
    await s.releaseLease('r', 'A')
    await s.acquireLease('r', 'B')
    for (const key of runKeys.slice(0, 3)) expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000)
    // Running again (a decision applied under the lease): bounded, and pushed back by the lease.
    await s.setRun(record('r', { status: 'running' }), { lease: 'B' })
    await s.requestAbort('r')
    await expectPushedBack()
    await nearlyGone()
    await s.renewLease('r', 'B')
    for (const key of runKeys.slice(0, 3)) expect(await redis.pttl(key)).toBeGreaterThan(60_000)
  })

  it('keeps a running run without expiry for a ttl of Infinity, whatever the lease does', async () => {
    const prefix = uniquePrefix()
    const s = store({ prefix, ttl: Infinity, leaseTtl: 10_000 })
    expect(await s.acquireLease('r', 'A')).toBe(true)
    await writeEveryKey(s, 'r', 'A')
    await s.renewLease('r', 'A')
    await s.setRun(record('r', { status: 'running' }), { lease: 'A' })
    const keys = await keysOfRun(redis, prefix, 'r')
    for (const [key, pttl] of keys) expect({ key, pttl: pttl === -1 }).toEqual({ key, pttl: key !== 'lease' })
  })
})

describe('a live executor with a ttl much shorter than its run', () => {
  const servers: Server[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
  })

  const TOKENS = 40
  const slow = defineAgent({
    name: 'slow',
    run: ({ input }: { input: { part: number } }) => ({
      stream: (async function* () {
        for (let i = 0; i < TOKENS / 2; i++) {
          yield `${input.part}.${i} `
          await new Promise((resolve) => setTimeout(resolve, 40))
        }
      })(),
      output: Promise.resolve({ part: input.part }),
    }),
  })
  const long = defineWorkflow({
    name: 'long',
    agents: { slow },
    run: async function* ({ agents }) {
      const first = yield* agents.slow({ part: 1 })
      const second = yield* agents.slow({ part: 2 })
      return [first.part, second.part]
    },
  })

  it('never loses its run: the run finishes with every event, its keys bounded all along', async () => {
    const prefix = uniquePrefix()
    // Renewed every 200 ms; a run whose lease lapsed would go 50 ms later.
    const leaseTtl = 600
    const ttl = 50
    const s = store({ prefix, ttl, leaseTtl })
    const server = createServer(toNodeListener(createWorkflowHandler({ workflow: long, runStore: s, heartbeatMs: 500 })))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/workflow`

    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: null }) })
    const runId = response.headers.get('x-workflow-run-id')!
    // While it runs (some 1.6 s, many times ttl + lease TTL), its keys expire, but never before the lease lapses.
    const sampled: Array<Map<string, number>> = []
    let streaming = true
    const sampler = (async () => {
      while (streaming) {
        const keys = await keysOfRun(redis, prefix, runId)
        if ((await redis.hget(`${prefix}{${runId}}:run`, 'status')) === 'running') sampled.push(keys)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const read = await readSse(response).finally(() => {
      streaming = false
    })
    await sampler
    expect(read.events.map((e) => e.index)).toEqual(read.events.map((_, i) => i))
    expect(read.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: [1, 2] })
    expect(types(read.events).filter((type) => type === 'TEXT_MESSAGE_CONTENT')).toHaveLength(TOKENS)
    expect(sampled.length).toBeGreaterThan(3)
    for (const keys of sampled) {
      expect(keys.get('run')).toBeDefined()
      expectBounded(new Map([...keys].filter(([key]) => key !== 'lease')), leaseTtl + ttl)
    }
  })
})

describe('a server process killed mid-run (SIGKILL)', () => {
  const running: ServerProcess[] = []
  afterAll(() => stopAll(running))

  it('leaves nothing behind: its unread run goes lease TTL + ttl later; a read run settles executor_lost first, then goes', async () => {
    const prefix = uniquePrefix()
    const leaseTtl = 300
    const ttl = 3_000
    const a = await startServerProcess({ redisUrl: redisUrl(), prefix, leaseTtl, ttl })
    const b = await startServerProcess({ redisUrl: redisUrl(), prefix, leaseTtl, ttl })
    running.push(a, b)
    // Two runs streaming on A (mid-step), their clients gone.
    const unread = runIdOf(await post(a.url, { workflow: 'hang', input: null }, { stopAfter: 5 }))
    const read = runIdOf(await post(a.url, { workflow: 'hang', input: null }, { stopAfter: 5 }))
    await a.kill()
    for (const runId of [unread, read]) expectBounded(await keysOfRun(redis, prefix, runId), leaseTtl + ttl)

    // Someone reads one of them within its ttl: it ends with executor_lost, as before.
    const settled = await resume(b.url, read, 0)
    expect(settled.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'executor_lost' })

    // Nobody ever reads the other: it is gone all the same, every key; then so is the settled one.
    await eventually(async () => (await redis.keys(`${prefix}{${unread}}*`)).length === 0, 20_000)
    await eventually(async () => (await redis.keys(`${prefix}{${read}}*`)).length === 0, 20_000)
    for (const runId of [unread, read]) {
      const gone = await fetch(`${b.url}?${new URLSearchParams({ runId, startIndex: '0' })}`)
      expect(gone.status).toBe(404)
      await gone.body?.cancel()
    }
  })
})
