/**
 * The live tail while the slot of the runs it reads moves to another node
 * (a resharding: CLUSTER SETSLOT … MIGRATING / IMPORTING, MIGRATE, SETSLOT
 * NODE, as redis-cli --cluster reshard does): the tail's blocking read is
 * redirected (ASK, MOVED) and must go on delivering each event once, in
 * order, and still hear of a deletion.
 */
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { Cluster, Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { keySlot } from '../src/slots.js'
import { redisRunStore } from '@stepstream/redis'
import { cluster, clusterNodes, eventually, record, uniquePrefix } from './helpers.js'

const custom = (n: number): WorkflowEvent => ({ type: 'CUSTOM', name: 'n', value: n, timestamp: 1 })

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

function node(port: number): Redis {
  const client = new Redis(port, '127.0.0.1')
  closers.push(async () => void (await client.quit().catch(() => {})))
  return client
}

/** Moves `slot` to another master, keys and all; returns once every node agrees. */
async function moveSlot(slot: number): Promise<void> {
  const nodes = clusterNodes().map(({ port }) => ({ port, client: node(port) }))
  const ids = await Promise.all(nodes.map(({ client }) => client.cluster('MYID') as Promise<string>))
  const ranges = await nodes[0]!.client.cluster('SLOTS')
  const ownerPort = ranges.find(([from, to]) => slot >= from && slot <= to)![2]![1]
  const from = nodes.findIndex(({ port }) => port === ownerPort)
  const to = (from + 1) % nodes.length
  await nodes[to]!.client.cluster('SETSLOT', slot, 'IMPORTING', ids[from]!)
  await nodes[from]!.client.cluster('SETSLOT', slot, 'MIGRATING', ids[to]!)
  for (;;) {
    const keys = (await nodes[from]!.client.cluster('GETKEYSINSLOT', slot, 100)) as string[]
    if (keys.length === 0) break
    await nodes[from]!.client.migrate('127.0.0.1', nodes[to]!.port, '', 0, 5_000, 'KEYS', ...keys)
  }
  for (const { client } of [nodes[to]!, nodes[from]!, ...nodes.filter((_, i) => i !== to && i !== from)]) {
    await client.cluster('SETSLOT', slot, 'NODE', ids[to]!)
  }
}

describe('the live tail on a Redis Cluster being resharded', () => {
  it("goes on delivering each event once, in order, when the slot of the run it reads moves to another node, and hears of the run's deletion there", async () => {
    const prefix = uniquePrefix()
    const reader = cluster.store({ prefix })
    const writer = cluster.store({ prefix })
    closers.push(() => reader.close(), () => writer.close())
    const runId = 'moving-run'
    await writer.createRun(record(runId))
    const seen: number[] = []
    const deleted: string[] = []
    reader.onRunDeleted?.((id) => deleted.push(id))
    await reader.subscribe(runId, (event: IndexedEvent) => seen.push(event.index))
    for (let n = 0; n < 10; n++) await writer.append(runId, custom(n))
    await eventually(() => seen.length === 10, 10_000)

    await moveSlot(keySlot(`${prefix}{${runId}}:log`))
    for (let n = 10; n < 20; n++) await writer.append(runId, custom(n))
    await eventually(() => seen.length >= 20, 15_000)
    expect(seen).toEqual([...Array(20).keys()])

    await writer.deleteRun(runId)
    await eventually(() => deleted.length === 1, 15_000)
    expect(reader.subscriberCount?.()).toBe(0)
  })

  it('goes on when the node drops the connection of its blocking read (CLIENT KILL), and hears of a deletion after', async () => {
    const prefix = uniquePrefix()
    const name = `killed-${crypto.randomUUID().slice(0, 8)}`
    const client = new Cluster(clusterNodes(), { redisOptions: { connectionName: name } })
    const reader = redisRunStore({ redis: client, keyPrefix: prefix })
    const writer = cluster.store({ prefix })
    closers.push(async () => {
      await reader.close()
      await client.quit().catch(() => {})
    }, () => writer.close())
    const runId = 'cut-run'
    await writer.createRun(record(runId))
    const seen: number[] = []
    const deleted: string[] = []
    reader.onRunDeleted?.((id) => deleted.push(id))
    await reader.subscribe(runId, (event: IndexedEvent) => seen.push(event.index))
    await writer.append(runId, custom(0))
    await eventually(() => seen.length === 1, 10_000)
    /** The ids of the reader's connections blocked in XREAD, by node. */
    const blocked = async () => {
      const found: Array<{ client: Redis; id: string }> = []
      for (const { port } of clusterNodes()) {
        const admin = node(port)
        for (const line of String(await admin.client('LIST')).split('\n')) {
          if (line.includes(`name=${name} `) && line.includes('cmd=xread')) found.push({ client: admin, id: /id=(\d+)/.exec(line)![1]! })
        }
      }
      return found
    }
    await eventually(async () => (await blocked()).length === 1, 10_000)
    for (const { client: admin, id } of await blocked()) await admin.client('KILL', 'ID', id)
    for (let n = 1; n < 10; n++) await writer.append(runId, custom(n))
    await eventually(() => seen.length >= 10, 15_000)
    expect(seen).toEqual([...Array(10).keys()])
    await writer.deleteRun(runId)
    await eventually(() => deleted.length === 1, 15_000)
  })
})
