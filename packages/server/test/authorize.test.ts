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

/** An approval, then a signal: a run that stays paused for each action to find. */
function pausingWorkflow(name: string) {
  return defineWorkflow({
    name,
    run: async function* () {
      const decision = yield* approve({ title: 'Go on?' })
      const paid = yield* waitForSignal('payment')
      return { approved: decision.approved, paid }
    },
  })
}

const reviewed = pausingWorkflow('reviewed')

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

describe('the workflow authorize judges', () => {
  const admin = pausingWorkflow('admin')
  const open = pausingWorkflow('public')
  const asAdmin = { 'x-role': 'admin' }

  /** A hook that restricts one workflow by name: only admins may touch `admin` runs. */
  function restrictedByName(workflows: Parameters<typeof createWorkflowHandler>[0]) {
    const seen: AuthorizeContext[] = []
    const handler = createWorkflowHandler({
      ...workflows,
      authorize: (request, context) => {
        seen.push(context)
        return context.workflow === 'admin' ? request.headers.get('x-role') === 'admin' : true
      },
    })
    return { handler, seen }
  }

  it('is the run\'s own workflow for every action on an existing run, so not naming it cannot reach an admin run', async () => {
    const store = inMemoryRunStore()
    const { handler, seen } = restrictedByName({ workflows: { admin, public: open }, runStore: store })
    const first = await post(handler, { workflow: 'admin', input: null }, asAdmin)
    const runId = runIdOf(first)
    const before = await snapshot(store, [runId])
    const requests = [
      postRequest({ runId, approval: { approvalId: approvalIdOf(first), approved: true } }),
      postRequest({ runId, signal: { signalId: 's', name: 'payment' } }),
      postRequest({ runId, startIndex: 0 }),
      getRequest({ runId, startIndex: 0 }),
      postRequest({ runId, abort: true }),
      // Naming another workflow does not change what the run is either.
      postRequest({ workflow: 'public', runId, startIndex: 0 }),
      postRequest({ workflow: 'public', runId, input: null }),
    ]
    seen.length = 0
    for (const request of requests) {
      const response = await handler(request)
      expect(response.status).toBe(403)
      expect(await errorCodeOf(response)).toBe('forbidden')
    }
    expect(seen.map(({ workflow }) => workflow)).toEqual(requests.map(() => 'admin'))
    expect(await snapshot(store, [runId])).toEqual(before)
    // The admin still gets through.
    const approved = await post(handler, { runId, approval: { approvalId: approvalIdOf(first), approved: true } }, asAdmin)
    expect(approved.status).toBe(200)
  })

  it('lets runs of other workflows through without naming theirs, and a run that does not exist still answers 404', async () => {
    const { handler, seen } = restrictedByName({ workflows: { admin, public: open }, runStore: inMemoryRunStore() })
    const first = await post(handler, { workflow: 'public', input: null })
    const runId = runIdOf(first)
    const approved = await post(handler, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
    expect(approved.status).toBe(200)
    expect(seen.at(-1)).toEqual({ action: 'approve', runId, workflow: 'public' })
    // Nothing to judge but what the request names (here nothing): the request goes on to the usual 404.
    const missing = await handler(postRequest({ runId: 'no-such-run', startIndex: 0 }))
    expect(missing.status).toBe(404)
    expect(await errorCodeOf(missing)).toBe('run_not_found')
    expect(seen.at(-1)).toEqual({ action: 'resume', runId: 'no-such-run', workflow: undefined })
  })

  it('is the workflow a start will run when the request names none (a server with one workflow), new run or retry', async () => {
    const store = inMemoryRunStore()
    const { handler, seen } = restrictedByName({ workflow: admin, runStore: store })
    const refused = await handler(postRequest({ runId: 'fresh', input: null }))
    expect(refused.status).toBe(403)
    expect(await store.getRun('fresh')).toBeUndefined()
    const runId = runIdOf(await post(handler, { input: null }, asAdmin))
    const retry = await handler(postRequest({ runId, input: null }))
    expect(retry.status).toBe(403)
    expect(seen.map(({ action, workflow }) => [action, workflow])).toEqual([
      ['start', 'admin'],
      ['start', 'admin'],
      ['start', 'admin'],
    ])
  })
})
