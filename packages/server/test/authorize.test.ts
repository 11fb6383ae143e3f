/**
 * The `authorize` hook of createWorkflowHandler: what its decisions mean,
 * and that the context it judges names the workflow a request really acts on.
 */
import { describe, expect, it } from 'vitest'
import {
  approve,
  createWorkflowHandler,
  defineWorkflow,
  inMemoryRunStore,
  waitForSignal,
  type AuthorizeContext,
  type AuthorizeDecision,
  type InMemoryRunStore,
} from '@stepstream/server'
import { approvalIdOf, getRequest, post, postRequest, runIdOf } from './helpers.js'

const reviewed = defineWorkflow({
  name: 'reviewed',
  run: async function* () {
    const decision = yield* approve({ title: 'Go on?' })
    const paid = yield* waitForSignal('payment')
    return { approved: decision.approved, paid }
  },
})

/** Everything a request could have changed: every run's record and log, and the run count. */
async function snapshot(store: InMemoryRunStore, runIds: string[]) {
  const perRun = await Promise.all(runIds.map(async (runId) => ({ record: await store.getRun(runId), log: await store.read(runId, 0) })))
  return { stats: store.stats(), perRun }
}

async function errorCodeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code
}

describe('authorize decisions', () => {
  /** A hook that answers `decision` to every request, as a plain JS hook could (no types to stop it). */
  function servedWith(decision: unknown) {
    const store = inMemoryRunStore()
    const errors: unknown[] = []
    const open = createWorkflowHandler({ workflow: reviewed, runStore: store })
    const guarded = createWorkflowHandler({
      workflow: reviewed,
      runStore: store,
      authorize: () => decision as AuthorizeDecision,
      onError: (error) => errors.push(error),
    })
    return { store, open, guarded, errors }
  }

  // `(request) => session && session.user === owner` gives null without a session: it must refuse, not allow.
  it.each([
    ['null', null],
    ['0', 0],
    ['an empty string', ''],
    ['NaN', Number.NaN],
    ['false', false],
    ["'forbidden'", 'forbidden'],
    ['another string', 'nope'],
    ['an object', { allowed: true }],
    ['a promise of null', Promise.resolve(null)],
  ])('refuses with 403 forbidden when the hook returns %s, and changes nothing', async (_name, decision) => {
    const { store, open, guarded } = servedWith(decision)
    const first = await post(open, { input: null })
    const runId = runIdOf(first)
    const before = await snapshot(store, [runId])
    const requests = [
      postRequest({ input: null }),
      postRequest({ runId: 'chosen-id', input: null }),
      postRequest({ runId, approval: { approvalId: approvalIdOf(first), approved: true } }),
      postRequest({ runId, signal: { signalId: 's', name: 'payment' } }),
      postRequest({ runId, startIndex: 0 }),
      getRequest({ runId, startIndex: 0 }),
      postRequest({ runId, abort: true }),
    ]
    for (const request of requests) {
      const response = await guarded(request)
      expect(response.status).toBe(403)
      expect(await errorCodeOf(response)).toBe('forbidden')
    }
    expect(await snapshot(store, [runId])).toEqual(before)
    expect(await store.getRun('chosen-id')).toBeUndefined()
  })

  it.each([
    ['true', true],
    ['undefined (a hook that returns nothing)', undefined],
    ['a promise of true', Promise.resolve(true)],
  ])('allows the request when the hook returns %s', async (_name, decision) => {
    const { guarded } = servedWith(decision)
    const started = await post(guarded, { input: null })
    expect(started.status).toBe(200)
    const approved = await post(guarded, { runId: runIdOf(started), approval: { approvalId: approvalIdOf(started), approved: true } })
    expect(approved.status).toBe(200)
  })

  it("answers 401 unauthorized when the hook returns 'unauthorized'", async () => {
    const { guarded } = servedWith('unauthorized')
    const response = await guarded(postRequest({ input: null }))
    expect(response.status).toBe(401)
    expect(await errorCodeOf(response)).toBe('unauthorized')
  })

  it.each([
    ['throws', () => {
      throw new Error('auth backend down')
    }],
    ['rejects', () => Promise.reject(new Error('auth backend down'))],
  ])('answers 500 internal when the hook %s, reports it, and changes nothing', async (_name, hook) => {
    const store = inMemoryRunStore()
    const errors: unknown[] = []
    const runId = runIdOf(await post(createWorkflowHandler({ workflow: reviewed, runStore: store }), { input: null }))
    const guarded = createWorkflowHandler({ workflow: reviewed, runStore: store, authorize: hook, onError: (error) => errors.push(error) })
    const before = await snapshot(store, [runId])
    const response = await guarded(postRequest({ runId, abort: true }))
    expect(response.status).toBe(500)
    expect(await errorCodeOf(response)).toBe('internal')
    expect(errors).toEqual([new Error('auth backend down')])
    expect(await snapshot(store, [runId])).toEqual(before)
  })
})
