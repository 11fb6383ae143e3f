/**
 * A run asleep (`sleep`, or a signal wait with a deadline) is woken by a
 * timer in the process it paused in. A store that fails at that moment (a
 * Redis connection lost for a second) must not leave the run asleep until
 * some request happens to touch it: nobody may be watching a background run.
 */
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, defineWorkflow, inMemoryRunStore, sleep, type RunStore } from '@stepstream/server'
import { post, processView, runIdOf, waitForStatus } from './helpers.js'

const napping = defineWorkflow({
  name: 'napping',
  run: async function* () {
    yield* sleep(50)
    return 'woke'
  },
})

/** The store, as seen through a connection that can be made to fail its next `method` calls. */
function flakyView(store: RunStore) {
  const view = processView(store)
  let failures = 0
  for (const method of ['getRun', 'acquireLease'] as const) {
    const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>
    view[method] = (async (...args: unknown[]) => {
      if (failures > 0) {
        failures -= 1
        throw new Error('store connection lost')
      }
      return original(...args)
    }) as never
  }
  return { view, failNext: (count: number) => (failures = count) }
}

describe('a deadline that fires while the store fails', () => {
  it.each([1, 3])('wakes the run once the store answers again (%i failed calls)', async (count) => {
    // Short lease: the wake is retried at the lease renewal pace (a third of it).
    const store = inMemoryRunStore({ leaseTtl: 300 })
    const { view, failNext } = flakyView(store)
    const handler = createWorkflowHandler({ workflow: napping, runStore: view, onError: () => {} })
    const runId = runIdOf(await post(handler, { input: null }))
    expect((await store.getRun(runId))!.status).toBe('paused')
    failNext(count)
    await waitForStatus(store, runId, 'finished')
  })
})
