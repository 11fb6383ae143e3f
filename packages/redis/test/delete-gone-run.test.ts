/**
 * `deleteRun` on a run this process follows that is already gone without a
 * word (its keys expired: a TTL is never announced; or another process's
 * announcement not read yet). The delete drops this process's tail of it,
 * so nothing would tell its readers any more: they must hear of it from
 * the delete, not wait for their watchdog, a lease TTL later.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runKeys } from '../src/keys.js'
import { backends, eventually, record, uniquePrefix } from './helpers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe.each(backends)('deleteRun of a followed run that is already gone ($name)', (backend) => {
  it("tells this process's deletion listeners, and leaves no subscription", async () => {
    const prefix = uniquePrefix()
    const store = backend.store({ prefix, leaseTtl: 60_000 })
    const raw = backend.rawClient()
    closers.push(() => store.close(), async () => void (await raw.quit().catch(() => {})))
    const runId = 'expired-run'
    await store.createRun(record(runId))
    const heard: string[] = []
    store.onRunDeleted?.((id) => heard.push(id))
    await store.subscribe(runId, () => {})
    // As its TTL would: every key of the run gone, and nobody announces it.
    const keys = runKeys(prefix, runId)
    for (const key of [keys.run, keys.log, keys.steps, keys.lease, keys.abort]) await raw.del(key)
    await store.deleteRun(runId)
    await eventually(() => heard.length > 0, 5_000)
    expect(heard).toEqual([runId])
    expect(store.subscriberCount?.()).toBe(0)
  })
})
