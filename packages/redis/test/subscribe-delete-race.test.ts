/**
 * A subscription racing another process's deletion of its run: the
 * subscriber read the run (generation, end of its log), then the run was
 * deleted and announced, and this process's live tail read that announcement
 * before the new tail was in place, so it ended nothing. The tail then waits
 * on a log that is gone; only the reader's watchdog, a lease TTL later,
 * would find out. The store must end it itself.
 */
import type { Cluster, Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore } from '@stepstream/redis'
import { runKeys } from '../src/keys.js'
import { keySlot } from '../src/slots.js'
import { backends, eventually, record, uniquePrefix } from './helpers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/**
 * The client as given, except that the reply to one HMGET of `key` is held
 * until `release()`: the moment between a subscriber's read of the run and
 * its tail starting, stretched.
 */
function holdingOneRead<TClient extends Redis | Cluster>(client: TClient, key: string) {
  let release = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let armed = false
  let held = false
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (property === 'hmget') {
        return async (...args: [string, ...string[]]) => {
          const reply = await (target.hmget as (...a: typeof args) => Promise<unknown>)(...args)
          if (armed && !held && args[0] === key) {
            held = true
            await released
          }
          return reply
        }
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
  return { proxy, arm: () => void (armed = true), release: () => release(), isHeld: () => held }
}

describe.each(backends)('a subscription racing a deletion elsewhere ($name)', (backend) => {
  it('ends (deletion listeners told) though the announcement was read before its tail started', async () => {
    const prefix = uniquePrefix()
    const client = backend.rawClient()
    const racing = 'racing-run'
    const hold = holdingOneRead(client, runKeys(prefix, racing).run)
    const store = redisRunStore({ redis: hold.proxy, keyPrefix: prefix, leaseTtl: 60_000 })
    const other = backend.store({ prefix })
    closers.push(async () => {
      hold.release()
      await store.close()
      await client.quit().catch(() => {})
    }, () => other.close())
    // On a cluster the lane that reads the racing run's slot must already be open: a new one reads the announcements from the start.
    // A keeper holds it open once the witness is gone.
    const [witness, keeper] = sameLaneRuns(prefix, racing, backend.name === 'cluster')
    for (const runId of [racing, witness, keeper]) await other.createRun(record(runId))
    const heard: string[] = []
    store.onRunDeleted?.((runId) => heard.push(runId))
    await store.subscribe(keeper, () => {})
    await store.subscribe(witness, () => {})

    hold.arm()
    const subscribing = store.subscribe(racing, () => {})
    await eventually(() => hold.isHeld(), 5_000)
    await other.deleteRun(racing)
    await other.deleteRun(witness)
    // Announced after the racing run's: once this store heard of the witness, its tail has read past both.
    await eventually(() => heard.includes(witness), 10_000)
    hold.release()
    await subscribing
    await eventually(() => heard.includes(racing), 5_000)
    expect(store.subscriberCount?.()).toBe(1)
  })
})

/** Two run ids whose logs are read by the same lane as `runId`'s (on a cluster: in the same hash slot). */
function sameLaneRuns(prefix: string, runId: string, perSlot: boolean): [string, string] {
  const slot = keySlot(runKeys(prefix, runId).log)
  const found: string[] = []
  for (let n = 0; found.length < 2 && n < 1_000_000; n++) {
    if (!perSlot || keySlot(runKeys(prefix, `w${n}`).log) === slot) found.push(`w${n}`)
  }
  if (found.length < 2) throw new Error('no run ids in the same slot')
  return [found[0]!, found[1]!]
}
