/**
 * A response's reader subscribes to the run's log first, then reads it. A
 * store that fails between the two (the run's record or its first page
 * cannot be read: a lost connection) fails the request with 500, and must
 * not leave that subscription behind, following the run for nobody.
 */
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, defineWorkflow, inMemoryRunStore, runWorkflow, type RunStore } from '@stepstream/server'
import { getRequest, post, runIdOf } from './helpers.js'

const quick = defineWorkflow({
  name: 'quick',
  run: async function* () {
    return 'done'
  },
})

/** The store, with `method` failing from now on. */
function failingFrom(store: RunStore, method: 'read' | 'getRun'): RunStore {
  return Object.assign(Object.create(store) as RunStore, { [method]: () => Promise.reject(new Error('store connection lost')) })
}

describe('a store that fails while a reader opens', () => {
  it.each(['read', 'getRun'] as const)('(%s) answers a resume 500 and holds no subscription', async (method) => {
    const memory = inMemoryRunStore()
    const runId = runIdOf(await post(createWorkflowHandler({ workflow: quick, runStore: memory }), { input: null }))
    // getRun is also how a resume finds the run: fail it only once the reader asks.
    const failing = method === 'read' ? failingFrom(memory, 'read') : failingAfterFirst(memory)
    const handler = createWorkflowHandler({ workflow: quick, runStore: failing, onError: () => {} })
    const response = await handler(getRequest({ runId, startIndex: 0 }))
    expect(response.status).toBe(500)
    expect(memory.stats().subscribers).toBe(0)
  })

  it('rejects a runWorkflow read and holds no subscription', async () => {
    const memory = inMemoryRunStore()
    const runId = runIdOf(await post(createWorkflowHandler({ workflow: quick, runStore: memory }), { input: null }))
    const stream = runWorkflow({ workflow: quick, runStore: failingFrom(memory, 'read'), runId, startIndex: 0 })
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toThrow('store connection lost')
    expect(memory.stats().subscribers).toBe(0)
  })
})

/** getRun answers the request's own look-ups, then fails: the reader's look comes last. */
function failingAfterFirst(store: RunStore): RunStore {
  const view = Object.create(store) as RunStore
  let calls = 0
  view.getRun = async (runId) => {
    calls += 1
    // The resume looks the run up (authorize has no hook here) once; the reader's look is the next.
    if (calls > 1) throw new Error('store connection lost')
    return store.getRun(runId)
  }
  return view
}
