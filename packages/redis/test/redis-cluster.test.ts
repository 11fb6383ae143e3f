/**
 * The store on a real three-node Redis Cluster (test/setup/redis-cluster.ts),
 * with runs chosen to land on every node: what only a cluster can get wrong
 * (CROSSSLOT, a blocking read holding up a node's connection, per-slot
 * deletion streams, per-slot tail connections). The scenarios shared with a
 * single node run on both in the suites parameterised over `backends`
 * (run-store, deleted-elsewhere, run-id-reuse).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { approve, createWorkflowHandler, defineWorkflow, mockAgent, toNodeListener } from '@stepstream/server'
import { Cluster, Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore, type RedisRunStore } from '@stepstream/redis'
import { keySlot, slotTagFor } from '../src/slots.js'
import { approvalIdOf, post, resume, runIdOf, type SseRead } from './cluster/sse.js'
import { cluster, clusterClient, clusterNodes, eventually, record, uniquePrefix } from './helpers.js'

const custom = (n: number): WorkflowEvent => ({ type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** A store on the cluster (its own cluster client, as a process would have): one "process". */
function processOnCluster(prefix: string, options: { leaseTtl?: number } = {}): RedisRunStore {
  const store = cluster.store({ prefix, ...options })
  closers.push(() => store.close())
  return store
}

function inspector(): Cluster {
  const client = clusterClient()
  closers.push(async () => void (await client.quit().catch(() => {})))
  return client
}

/** The port of the master serving each slot, as the cluster says (CLUSTER SLOTS). */
async function slotOwners(client: Cluster): Promise<(slot: number) => number> {
  const ranges = await client.cluster('SLOTS')
  return (slot) => {
    const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]
    if (!master) throw new Error(`slot ${slot} is served by no node`)
    return master[1]
  }
}

/** `perNode` run ids for every master, each id's keys on that master (ids are tried in order, a bounded search). */
async function runIdsOnEveryNode(prefix: string, perNode: number): Promise<Map<number, string[]>> {
  const ownerOf = await slotOwners(inspector())
  const byPort = new Map<number, string[]>(clusterNodes().map(({ port }) => [port, []]))
  for (let n = 0; n < 10_000 && [...byPort.values()].some((ids) => ids.length < perNode); n++) {
    const runId = `run-${n}`
    const ids = byPort.get(ownerOf(keySlot(`${prefix}{${runId}}:log`)))!
    if (ids.length < perNode) ids.push(runId)
  }
  for (const [port, ids] of byPort) if (ids.length < perNode) throw new Error(`no run id found for the node on ${port}`)
  return byPort
}

describe('redisRunStore on a Redis Cluster', () => {
  it('computes the hash slot of a key as the cluster does (CLUSTER KEYSLOT)', async () => {
    const client = inspector()
    const keys = ['123456789', 'foo', '{user1000}.following', 'a{}b', '{}', 'x{b:{r}:log', 'héllo wörld', 'stepstream:{0b9e}:log', `${uniquePrefix()}{s17}:deletions`]
    for (const key of keys) expect({ key, slot: keySlot(key) }).toEqual({ key, slot: Number(await client.cluster('KEYSLOT', key)) })
  })

  it('finds a key in any slot for the per-slot streams, whatever braces the prefix has', async () => {
    const client = inspector()
    // A plain prefix, one with its own tag (every key in its slot), one with an unclosed brace, a non-ASCII one.
    const cases: Array<[base: string, slots: number[]]> = [
      ['stepstream:', [0, 1, 5_000, 16_383]],
      ['{app}:', [keySlot('{app}:')]],
      ['x{y:', [0, 9_999, 16_383]],
      ['été:', [42, 16_000]],
    ]
    for (const [base, slots] of cases) {
      for (const slot of slots) {
        const key = `${base}${slotTagFor(base, slot)}:deletions`
        expect({ key, slot: Number(await client.cluster('KEYSLOT', key)) }).toEqual({ key, slot })
      }
    }
  })

  it('streams runs on every node to two processes at once, each event once and in order, and resumes from an index', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [processOnCluster(prefix), processOnCluster(prefix)]
    const runIds = [...(await runIdsOnEveryNode(prefix, 3)).values()].flat()
    await Promise.all(runIds.map((runId) => a.createRun(record(runId))))
    // Each process follows every run (runs in nine slots on three nodes), twice for the first run.
    const seen = new Map<string, number[]>()
    const listen = (store: RedisRunStore, name: string, runId: string) =>
      store.subscribe(runId, (event) => seen.set(`${name}/${runId}`, [...(seen.get(`${name}/${runId}`) ?? []), event.index]))
    const subscriptions = await Promise.all(runIds.flatMap((runId) => [listen(a, 'a', runId), listen(b, 'b', runId)]))
    subscriptions.push(await listen(b, 'b2', runIds[0]!))
    expect(a.subscriberCount() + b.subscriberCount()).toBe(runIds.length * 2 + 1)

    // Both processes append to every run concurrently.
    const count = 60
    const indices = await Promise.all(runIds.flatMap((runId) => Array.from({ length: count }, (_, n) => (n % 2 ? a : b).append(runId, custom(n)))))
    expect(indices.length).toBe(runIds.length * count)
    const all = Array.from({ length: count }, (_, n) => n)
    const heard = [...runIds.flatMap((runId) => [`a/${runId}`, `b/${runId}`]), `b2/${runIds[0]}`]
    await eventually(() => heard.every((key) => seen.get(key)?.length === count))
    for (const key of heard) expect({ key, indices: seen.get(key) }).toEqual({ key, indices: all })

    // A reader resuming from an index gets the rest of the log, then the live events after it.
    const resumed = await b.read(runIds[4]!, 37)
    expect(resumed.map(({ index }) => index)).toEqual(all.slice(37))
    subscriptions.forEach((unsubscribe) => unsubscribe())
    expect(a.subscriberCount() + b.subscriberCount()).toBe(0)
  })

  it('ends another process\'s subscriptions of a deleted run at once, on whichever node the run is, and only that run\'s', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [processOnCluster(prefix, { leaseTtl: 60_000 }), processOnCluster(prefix, { leaseTtl: 60_000 })]
    const byNode = [...(await runIdsOnEveryNode(prefix, 2)).values()]
    const deleted: string[] = []
    b.onRunDeleted?.((runId) => deleted.push(runId))
    const kept: number[] = []
    for (const [doomed, survivor] of byNode as Array<[string, string]>) {
      await a.createRun(record(doomed))
      await a.createRun(record(survivor))
      await b.subscribe(doomed, () => {})
      await b.subscribe(survivor, (event) => kept.push(event.index))
    }
    for (const [doomed] of byNode as Array<[string, string]>) await a.deleteRun(doomed)
    // Far within the lease TTL, which is the only other way b could find out.
    await eventually(() => deleted.length === byNode.length, 10_000)
    expect(deleted.sort()).toEqual(byNode.map(([doomed]) => doomed).sort())
    expect(b.subscriberCount()).toBe(byNode.length)
    for (const [, survivor] of byNode as Array<[string, string]>) await a.append(survivor, custom(0))
    await eventually(() => kept.length === byNode.length)
  })

  it('tails and announces deletions through a given Cluster client with an ioredis keyPrefix (its replies name the prefixed keys)', async () => {
    const prefix = uniquePrefix()
    const made = () => {
      const client = new Cluster(clusterNodes(), { keyPrefix: 'kp:' })
      const store = redisRunStore({ redis: client, keyPrefix: prefix, leaseTtl: 60_000 })
      closers.push(async () => {
        await store.close()
        await client.quit().catch(() => {})
      })
      return store
    }
    const [a, b] = [made(), made()]
    const deleted: string[] = []
    b.onRunDeleted?.((runId) => deleted.push(runId))
    const runIds = [...(await runIdsOnEveryNode(`kp:${prefix}`, 1)).values()].flat()
    const seen = new Map<string, number[]>()
    for (const runId of runIds) {
      await a.createRun(record(runId))
      await b.subscribe(runId, (event) => seen.set(runId, [...(seen.get(runId) ?? []), event.index]))
    }
    await Promise.all(runIds.flatMap((runId) => [0, 1, 2].map((n) => a.append(runId, custom(n)))))
    await eventually(() => runIds.every((runId) => seen.get(runId)?.length === 3))
    for (const runId of runIds) await a.deleteRun(runId)
    await eventually(() => deleted.length === runIds.length, 10_000)
    expect(b.subscriberCount()).toBe(0)
  })

  it('holds a tail connection per slot it follows only while it follows one there', async () => {
    const prefix = uniquePrefix()
    const name = `lanes-${crypto.randomUUID().slice(0, 8)}`
    // The store's blocking connections inherit the given client's connection name.
    const client = new Cluster(clusterNodes(), { redisOptions: { connectionName: name } })
    const store = redisRunStore({ redis: client, keyPrefix: prefix })
    closers.push(async () => {
      await store.close()
      await client.quit().catch(() => {})
    })
    /** The store's connections on every node: all of them, and those whose last command was a read of the tail. */
    const named = async (): Promise<{ all: number; reading: number }> => {
      const lines: string[] = []
      for (const { host, port } of clusterNodes()) {
        const node = new Redis(port, host)
        const list = await node.client('LIST').finally(() => node.disconnect())
        lines.push(...String(list).split('\n').filter((line) => line.includes(`name=${name} `)))
      }
      return { all: lines.length, reading: lines.filter((line) => line.includes('cmd=xread')).length }
    }
    const runIds = [...(await runIdsOnEveryNode(prefix, 2)).values()].flat()
    await Promise.all(runIds.map((runId) => store.createRun(record(runId))))
    const slots = new Set(runIds.map((runId) => keySlot(`${prefix}{${runId}}:log`))).size
    const unsubscribes = await Promise.all(runIds.map((runId) => store.subscribe(runId, () => {})))
    await eventually(async () => (await named()).reading === slots)
    // One per tailed slot, besides the given client's own (one per node): no idle extra per slot.
    expect((await named()).all).toBeLessThanOrEqual(slots + clusterNodes().length)
    unsubscribes.forEach((unsubscribe) => unsubscribe())
    await eventually(async () => (await named()).reading === 0)
  })
})

// Approvals through the HTTP handler: the pause is a record write, the resume
// a lease taken by another process, on runs spread over the three nodes.
const writer = mockAgent({ name: 'writer', text: 'a short draft about the mill and the river', result: () => ({ draft: 'draft' }) })
const publisher = mockAgent({ name: 'publisher', text: 'published on the front page', result: () => ({ url: '/a' }) })
const review = defineWorkflow({
  name: 'review',
  agents: { writer, publisher },
  run: async function* ({ agents }) {
    const { draft } = yield* agents.writer({})
    const decision = yield* approve({ title: 'Publish?' })
    if (!decision.approved) return { url: null }
    return yield* agents.publisher({ draft })
  },
})

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    }),
  )
})

async function serverProcess(prefix: string): Promise<string> {
  const store = processOnCluster(prefix, { leaseTtl: 2_000 })
  const server = createServer(toNodeListener(createWorkflowHandler({ workflow: review, runStore: store, heartbeatMs: 500 })))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/workflow`
}

const indices = (read: SseRead | IndexedEvent[]): number[] => ('events' in read ? read.events : read).map(({ index }) => index)

describe('two server processes on a Redis Cluster', () => {
  it('pauses runs for approval on A, resumes them from an index and approves them on B: every event once, in order', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [await serverProcess(prefix), await serverProcess(prefix)]
    const runIds = [...(await runIdsOnEveryNode(prefix, 2)).values()].flat()
    await Promise.all(
      runIds.map(async (runId) => {
        const started = await post(a, { runId, input: {} })
        expect(runIdOf(started)).toBe(runId)
        expect(started.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
        expect(indices(started)).toEqual(started.events.map((_, i) => i))
        // A client that lost the last events resumes them on the other process.
        const from = started.events.length - 3
        expect((await resume(b, runId, from)).events).toEqual(started.events.slice(from))
        const approved = await post(b, { runId, approval: { approvalId: approvalIdOf(started), approved: true } })
        expect(approved.events[0]!.index).toBe(started.events.length)
        expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { url: '/a' } })
        // The whole log, from A: both segments, each index once.
        const whole = await resume(a, runId, 0)
        expect(whole.events).toEqual([...started.events, ...approved.events])
        expect(indices(whole)).toEqual(whole.events.map((_, i) => i))
      }),
    )
  })
})
