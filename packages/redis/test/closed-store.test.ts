/**
 * `close()` is final: a store's client may be the application's (given as
 * `redis`, left open), and a command this store sends after its close would
 * write behind the application's back, or fail on a connection the
 * application closed meanwhile (EPIPE on a Cluster client). Every call after
 * the close, and every next step of a call that was under way, rejects with
 * `RunStoreClosedError` and sends nothing (a subscription, which nothing
 * would ever reach, is a no-op instead).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { redisRunStore, RunStoreClosedError } from '@stepstream/redis'
import { runKeys } from '../src/keys.js'
import { backends, record, uniquePrefix } from './helpers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe.each(backends)('a closed store on a $name', (backend) => {
  function storeOnGivenClient() {
    const prefix = uniquePrefix()
    const given = backend.rawClient()
    closers.push(async () => void (await given.quit().catch(() => {})))
    return { prefix, given, store: redisRunStore({ redis: given, keyPrefix: prefix, leaseTtl: 60_000 }) }
  }

  it('refuses every call with RunStoreClosedError and writes nothing through the client it was given', async () => {
    const { prefix, given, store } = storeOnGivenClient()
    await store.createRun(record('kept'))
    await store.close()
    const event = { type: 'CUSTOM', name: 'n', value: 1, timestamp: 1 } as const
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['createRun', () => store.createRun(record('new'))],
      ['getRun', () => store.getRun('kept')],
      ['setRun', () => store.setRun(record('kept', { status: 'finished' }))],
      ['append', () => store.append('kept', event)],
      ['read', () => store.read('kept', 0)],
      ['lastIndex', () => store.lastIndex('kept')],
      ['deleteRun', () => store.deleteRun('kept')],
      ['appendStep', () => store.appendStep('kept', { type: 'settled', seq: '0', command: 'now', name: 'now', outcome: { ok: true, value: 1 } })],
      ['readSteps', () => store.readSteps('kept')],
      ['acquireLease', () => store.acquireLease('kept', 'owner')],
      ['renewLease', () => store.renewLease('kept', 'owner')],
      ['releaseLease', () => store.releaseLease('kept', 'owner')],
      ['requestAbort', () => store.requestAbort('kept')],
    ]
    for (const [name, call] of calls) await expect(call(), name).rejects.toBeInstanceOf(RunStoreClosedError)
    // A subscription nothing would ever reach is a no-op (stream-tail.test: no connection opened for it).
    const unsubscribe = await store.subscribe('kept', () => {})
    unsubscribe()
    expect(store.subscriberCount()).toBe(0)
    const kept = runKeys(prefix, 'kept')
    expect(await given.exists(runKeys(prefix, 'new').run)).toBe(0)
    expect(await given.hget(kept.run, 'status')).toBe('running')
    expect(await given.hget(kept.run, 'next')).toBe('0')
    expect(await given.exists(kept.lease, kept.abort, kept.steps)).toBe(0)
    // Closing again is harmless.
    await store.close()
  })

  it('sends no next command of a call under way when it closes', async () => {
    const { prefix, given, store } = storeOnGivenClient()
    await store.createRun(record('r'))
    await store.subscribe('r', () => {})
    // A followed run's lease is taken in two steps: a look at the run, then the script.
    const acquiring = store.acquireLease('r', 'owner')
    await store.close()
    await expect(acquiring).rejects.toBeInstanceOf(RunStoreClosedError)
    expect(await given.exists(runKeys(prefix, 'r').lease)).toBe(0)
  })
})
