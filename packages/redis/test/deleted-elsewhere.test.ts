/**
 * A run deleted by another process: this process's readers of it must end
 * at once, not at their watchdog (a lease TTL later, seconds during which
 * the client, kept quiet by heartbeats, shows a run that is gone as running).
 */
import type { IndexedEvent } from '@stepstream/protocol'
import { defineAgent, defineWorkflow, runWorkflow } from '@stepstream/server'
import { afterEach, describe, expect, it } from 'vitest'
import type { RedisRunStore } from '@stepstream/redis'
import { backends, eventually, record, uniquePrefix, type Backend } from './helpers.js'

// Far longer than the test waits: only the deletion itself may end the reader.
const LEASE_TTL_MS = 60_000

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** Stores sharing one prefix: each stands for a server process. */
function processesOn(backend: Backend, count: number, prefix = uniquePrefix()) {
  return Array.from({ length: count }, () => {
    const store = backend.store({ prefix, leaseTtl: LEASE_TTL_MS })
    closers.push(() => store.close())
    return store
  })
}

/** A run that streams one word and then waits until the test ends. */
function heldRun() {
  let release = () => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  closers.push(async () => release())
  const holding = defineAgent({
    name: 'holding',
    run: () => ({
      stream: (async function* () {
        yield 'first '
        await held
      })(),
      output: Promise.resolve('done'),
    }),
  })
  return defineWorkflow({
    name: 'held',
    agents: { holding },
    run: async function* ({ agents }) {
      return yield* agents.holding()
    },
  })
}

describe.each(backends)('redisRunStore on a $name: a run another process deletes', (backend) => {
  const processes = (count: number, prefix?: string) => processesOn(backend, count, prefix)

  it('ends this process\'s live readers of it at once, after what they had read', async () => {
    const [a, b] = processes(2)
    const workflow = heldRun()
    const started = runWorkflow({ workflow, runStore: a!, input: null })
    const { runId } = await started.ready
    started.close()
    await eventually(async () => (await a!.read(runId, 0)).some(({ event }) => event.type === 'TEXT_MESSAGE_CONTENT'))

    const events: IndexedEvent[] = []
    let ended = false
    const reading = (async () => {
      for await (const event of runWorkflow({ workflow, runStore: b!, runId, startIndex: 0 })) events.push(event)
      ended = true
    })()
    await eventually(() => events.some(({ event }) => event.type === 'TEXT_MESSAGE_CONTENT'))
    expect(ended).toBe(false)

    await a!.deleteRun(runId)
    await eventually(() => ended, 5_000)
    await reading
    expect(b!.subscriberCount()).toBe(0)
  })

  it('tells the deletion listeners of a process that follows it, and never ends a newer run under the same id', async () => {
    const [a, b, late] = processes(3) as [RedisRunStore, RedisRunStore, RedisRunStore]
    const heard = { b: [] as string[], late: [] as string[] }
    b.onRunDeleted?.((runId) => heard.b.push(runId))
    late.onRunDeleted?.((runId) => heard.late.push(runId))
    await a.createRun(record('r'))
    await b.subscribe('r', () => {})
    await a.deleteRun('r')
    await eventually(() => heard.b.length === 1, 5_000)
    expect(heard.b).toEqual(['r'])
    expect(b.subscriberCount()).toBe(0)

    // A process that begins to follow the id, taken again, reads the earlier deletion with its first events: not this run's.
    await a.createRun(record('r'))
    const seen: number[] = []
    await late.subscribe('r', (event) => seen.push(event.index))
    await a.append('r', { type: 'CUSTOM', name: 'n', value: 0, timestamp: 1 })
    await eventually(() => seen.length === 1, 5_000)
    expect(heard.late).toEqual([])
    expect(late.subscriberCount()).toBe(1)
  })

  // A reader pages through a long log while it lags behind: each page must still be of the run it follows.
  it('reads a process that follows the run none of a new run under its id that nobody announced', async () => {
    const prefix = uniquePrefix()
    const [b] = processes(1, prefix) as [RedisRunStore]
    const heard: string[] = []
    b.onRunDeleted?.((runId) => heard.push(runId))
    await b.createRun(record('r'))
    for (let n = 0; n < 3; n++) await b.append('r', { type: 'CUSTOM', name: 'old', value: n, timestamp: 1 })
    await b.subscribe('r', () => {})
    // Deleted and written again by a process that announces nothing (an earlier version; or a ttl and a new start).
    const redis = backend.rawClient()
    closers.push(async () => void (await redis.quit()))
    const keys = { run: `${prefix}{r}:run`, log: `${prefix}{r}:log` }
    const event = (n: number) => JSON.stringify({ type: 'CUSTOM', name: 'new', value: n, timestamp: 1 })
    await redis
      .multi()
      .del(keys.run, keys.log)
      .hset(keys.run, 'record', JSON.stringify(record('r')), 'status', 'running', 'next', 3, 'gen', '4242')
      .xadd(keys.log, '0-4242', 'e', event(0))
      .xadd(keys.log, '1-4242', 'e', event(1))
      .xadd(keys.log, '2-4242', 'e', event(2))
      .exec()
    expect(await b.read('r', 0)).toEqual([])
    expect(heard).toEqual(['r'])
    expect(b.subscriberCount()).toBe(0)
    // Not following the old run any more, this process reads the new one like anyone.
    expect((await b.read('r', 0)).map(({ event }) => event)).toMatchObject([{ name: 'new' }, { name: 'new' }, { name: 'new' }])
  })
})
