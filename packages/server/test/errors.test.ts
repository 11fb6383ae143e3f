import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  approve,
  createWorkflowHandler,
  defineWorkflow,
  inMemoryRunStore,
  waitForSignal,
  type RunStore,
  type WorkflowHandler,
} from '@stepstream/server'
import { approvalIdOf, getRequest, heldWorkflow, post, postRequest, runIdOf, URL_BASE, waitForStatus } from './helpers.js'

const review = defineWorkflow({
  name: 'review',
  input: z.object({ topic: z.string() }),
  run: async function* ({ input }) {
    const first = yield* approve({ title: `Publish ${input.topic}?` })
    const second = yield* approve({ title: 'Really?' })
    return { approved: first.approved && second.approved }
  },
})
const payment = defineWorkflow({
  name: 'payment',
  run: async function* () {
    const paid = yield* waitForSignal('payment', { payload: z.object({ amount: z.number() }) })
    return paid
  },
})
const quick = defineWorkflow({
  name: 'quick',
  run: async function* () {
    return 'done'
  },
})

const store = inMemoryRunStore()
const workflows = { review, payment, quick }
const handler = createWorkflowHandler({ workflows, runStore: store, maxBodyBytes: 4096 })
// Same store, so it sees the same runs; only adds an authorize hook.
const guarded = createWorkflowHandler({
  workflows,
  runStore: store,
  authorize: (request) => {
    const auth = request.headers.get('authorization')
    if (auth === null) return 'unauthorized'
    if (auth === 'Bearer boom') throw new Error('auth backend down at /srv/secret.ts:12')
    return auth === 'Bearer ok'
  },
  onError: () => {},
})

const runs = { approval: '', signal: '', finished: '', approvedOnce: '' }
let approvedOnceId = ''

beforeAll(async () => {
  runs.approval = runIdOf(await post(handler, { workflow: 'review', input: { topic: 'a' }, runId: 'run-approval' }))
  runs.signal = runIdOf(await post(handler, { workflow: 'payment', input: null }))
  runs.finished = runIdOf(await post(handler, { workflow: 'quick', input: null }))
  const paused = await post(handler, { workflow: 'review', input: { topic: 'b' } })
  runs.approvedOnce = runIdOf(paused)
  approvedOnceId = approvalIdOf(paused)
  await post(handler, { runId: runs.approvedOnce, approval: { approvalId: approvedOnceId, approved: true } })
})

/** Everything a refused request could have touched: every run's record and log, and the run count. */
async function snapshotStore() {
  const ids = Object.values(runs)
  const perRun = await Promise.all(ids.map(async (runId) => ({ record: await store.getRun(runId), log: await store.read(runId, 0) })))
  return { stats: store.stats(), perRun }
}

function deeplyNested(depth: number): string {
  return `{"input":${'['.repeat(depth)}${']'.repeat(depth)}}`
}

function streamedBody(bytes: number): Request {
  const chunk = new TextEncoder().encode(' '.repeat(1024))
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close()
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  return new Request(URL_BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
}

type Case = [name: string, status: number, code: string, send: () => Promise<Response>]

const withAuth = (authorization: string): Record<string, string> => ({ authorization })

const cases: Case[] = [
  ['malformed JSON', 400, 'invalid_json', () => handler(postRequest('{"input": nope'))],
  ['invalid UTF-8', 400, 'invalid_json', () => handler(new Request(URL_BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0x7d]) }))],
  ['a body that is not an object', 400, 'invalid_request', () => handler(postRequest([1, 2]))],
  ['no action', 400, 'invalid_request', () => handler(postRequest({ runId: 'run-approval' }))],
  ['two actions', 400, 'invalid_request', () => handler(postRequest({ input: {}, startIndex: 0, runId: 'run-approval' }))],
  ['startIndex as a string', 400, 'invalid_request', () => handler(postRequest({ runId: 'run-approval', startIndex: '1' }))],
  ['runId of the wrong type', 400, 'invalid_request', () => handler(postRequest({ runId: 7, abort: true }))],
  ['runId with path characters', 400, 'invalid_request', () => handler(postRequest({ runId: '../etc', startIndex: 0 }))],
  ['abort that is not true', 400, 'invalid_request', () => handler(postRequest({ runId: 'run-approval', abort: 'yes' }))],
  ['approval without a boolean', 400, 'invalid_request', () => handler(postRequest({ runId: 'run-approval', approval: { approvalId: 'x', approved: 'yes' } }))],
  ['signal without a name', 400, 'invalid_request', () => handler(postRequest({ runId: 'run-approval', signal: { signalId: 's' } }))],
  ['a signal with a reserved (__) name', 400, 'invalid_request', () => handler(postRequest({ runId: runs.signal, signal: { signalId: 's', name: '__sleep' } }))],
  ['a __proto__ key', 400, 'invalid_request', () => handler(postRequest('{"workflow":"quick","input":{"__proto__":{"polluted":true}}}'))],
  ['nesting deeper than allowed', 400, 'invalid_request', () => handler(postRequest(deeplyNested(100)))],
  ['an unknown workflow', 400, 'invalid_request', () => handler(postRequest({ workflow: 'nope', input: null }))],
  ['a start that names no workflow', 400, 'invalid_request', () => handler(postRequest({ input: null }))],
  ['GET with a bad startIndex', 400, 'invalid_request', () => handler(getRequest({ runId: 'run-approval', startIndex: 'abc' }))],
  ['GET with a bad Last-Event-ID', 400, 'invalid_request', () => handler(getRequest({ runId: 'run-approval' }, { 'last-event-id': 'x1' }))],
  ['an unsupported method', 400, 'invalid_request', () => handler(new Request(URL_BASE, { method: 'PUT' }))],
  ['an input that fails the schema', 400, 'invalid_input', () => handler(postRequest({ workflow: 'review', input: { topic: 5 } }))],
  ['a signal payload that fails the schema', 400, 'invalid_input', () => handler(postRequest({ runId: runs.signal, signal: { signalId: 'bad', name: 'payment', payload: { amount: 'ten' } } }))],
  ['no credentials (start)', 401, 'unauthorized', () => guarded(postRequest({ workflow: 'quick', input: null }))],
  ['no credentials (resume)', 401, 'unauthorized', () => guarded(getRequest({ runId: 'run-approval', startIndex: 0 }))],
  ['wrong credentials (approve)', 403, 'forbidden', () => guarded(postRequest({ runId: runs.approval, approval: { approvalId: 'x', approved: true } }, withAuth('Bearer no')))],
  ['wrong credentials (abort)', 403, 'forbidden', () => guarded(postRequest({ runId: runs.approval, abort: true }, withAuth('Bearer no')))],
  ['wrong credentials (resume)', 403, 'forbidden', () => guarded(postRequest({ runId: runs.approval, startIndex: 0 }, withAuth('Bearer no')))],
  ['an unknown run (resume)', 404, 'run_not_found', () => handler(getRequest({ runId: 'missing', startIndex: 0 }))],
  ['an unknown run (approve)', 404, 'run_not_found', () => handler(postRequest({ runId: 'missing', approval: { approvalId: 'x', approved: true } }))],
  ['an unknown run (abort)', 404, 'run_not_found', () => handler(postRequest({ runId: 'missing', abort: true }))],
  ['a run of another workflow', 404, 'run_not_found', () => handler(postRequest({ workflow: 'payment', runId: 'run-approval', startIndex: 0 }))],
  ['a start reusing a run id with another input', 409, 'run_id_conflict', () => handler(postRequest({ workflow: 'review', runId: 'run-approval', input: { topic: 'other' } }))],
  ['approving a finished run', 409, 'run_not_paused', () => handler(postRequest({ runId: runs.finished, approval: { approvalId: 'x', approved: true } }))],
  ['signalling a finished run', 409, 'run_not_paused', () => handler(postRequest({ runId: runs.finished, signal: { signalId: 'x', name: 'payment' } }))],
  ['aborting a finished run', 409, 'run_not_paused', () => handler(postRequest({ runId: runs.finished, abort: true }))],
  ['the wrong approval id', 409, 'approval_mismatch', () => handler(postRequest({ runId: runs.approval, approval: { approvalId: 'not-it', approved: true } }))],
  ['approving a run that waits for a signal', 409, 'approval_mismatch', () => handler(postRequest({ runId: runs.signal, approval: { approvalId: 'x', approved: true } }))],
  ['an answered approval with another decision', 409, 'approval_conflict', () => handler(postRequest({ runId: runs.approvedOnce, approval: { approvalId: approvedOnceId, approved: false } }))],
  ['a signal of another name', 409, 'signal_mismatch', () => handler(postRequest({ runId: runs.signal, signal: { signalId: 's', name: 'refund' } }))],
  ['signalling a run that waits for an approval', 409, 'signal_mismatch', () => handler(postRequest({ runId: runs.approval, signal: { signalId: 's', name: 'payment' } }))],
  ['a declared length over the limit', 413, 'payload_too_large', () => handler(postRequest({ workflow: 'quick', input: 'x'.repeat(5000) }))],
  ['a streamed body over the limit', 413, 'payload_too_large', () => handler(streamedBody(10_000))],
  ['a text/plain body', 415, 'unsupported_media_type', () => handler(new Request(URL_BASE, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"input":null}' }))],
  ['a body with no content type', 415, 'unsupported_media_type', () => handler(new Request(URL_BASE, { method: 'POST', body: new Blob(['{"input":null}']) }))],
  ['an authorize hook that throws', 500, 'internal', () => guarded(postRequest({ workflow: 'quick', input: null }, withAuth('Bearer boom')))],
]

describe('error table (PROTOCOL §4): each refusal answers JSON and changes nothing', () => {
  it.each(cases)('%s → %i %s', async (_name, status, code, send) => {
    const before = await snapshotStore()
    const response = await send()
    const text = await response.text()
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = JSON.parse(text) as { error: { code: string; message: string } }
    expect(body.error.code).toBe(code)
    expect(typeof body.error.message).toBe('string')
    // No stack traces or internal paths, whatever went wrong.
    expect(text).not.toMatch(/\bat .+:\d+|\.ts:\d+/)
    expect(await snapshotStore()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a text field that is only too long is refused as too long, not as the wrong type (feedback, signal name)', async () => {
    // Guarded's store, without the small body limit of the table's handler.
    const roomy = createWorkflowHandler({ workflows, runStore: store })
    const long = 'x'.repeat(10_001)
    const cases = [
      [{ runId: runs.approval, approval: { approvalId: 'x', approved: false, feedback: long } }, 'approval.feedback'],
      [{ runId: runs.signal, signal: { signalId: 's', name: long } }, 'signal.name'],
    ] as const
    for (const [body, label] of cases) {
      const before = await snapshotStore()
      const response = await roomy(postRequest(body))
      expect(response.status).toBe(400)
      const { error } = (await response.json()) as { error: { code: string; message: string } }
      expect(error).toEqual({ code: 'invalid_request', message: `${label} must be at most 10000 characters` })
      expect(await snapshotStore()).toEqual(before)
    }
  })

  it('a signal refused for its payload leaves the run paused for the next one, which applies at once', async () => {
    // A short lease: a refusal that kept the rebuilt run's lease would make the next signal wait it out and fail.
    const shortLease = inMemoryRunStore({ leaseTtl: 50 })
    const payments = createWorkflowHandler({ workflow: payment, runStore: shortLease })
    const runId = runIdOf(await post(payments, { input: null }))
    const record = await shortLease.getRun(runId)
    const log = await shortLease.read(runId, 0)
    const refused = await payments(postRequest({ runId, signal: { signalId: 'bad', name: 'payment', payload: { amount: 'ten' } } }))
    expect(refused.status).toBe(400)
    expect(await shortLease.getRun(runId)).toEqual(record)
    expect(await shortLease.read(runId, 0)).toEqual(log)
    const paid = await post(payments, { runId, signal: { signalId: 'good', name: 'payment', payload: { amount: 10 } } })
    expect(paid.status).toBe(200)
    expect(paid.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { amount: 10 } })
  })

  it('a signal refused for its payload keeps the wait\'s deadline', async () => {
    const store = inMemoryRunStore()
    const timed = defineWorkflow({
      name: 'timed',
      run: async function* () {
        return yield* waitForSignal('payment', { deadline: Date.now() + 30, payload: z.object({ amount: z.number() }) })
      },
    })
    const handler = createWorkflowHandler({ workflow: timed, runStore: store })
    const runId = runIdOf(await post(handler, { input: null }))
    const refused = await handler(postRequest({ runId, signal: { signalId: 'bad', name: 'payment', payload: {} } }))
    expect(refused.status).toBe(400)
    // Nobody asks again: the deadline timer alone ends the wait.
    await waitForStatus(store, runId, 'failed')
    expect((await store.read(runId, 0)).at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'timeout' })
  })

  it('an abort naming another workflow than the run\'s is 404 run_not_found, also while the run is running', async () => {
    // Naming a workflow is optional on a run's later actions, but a wrong name is refused, not ignored.
    const { workflow: held, release } = heldWorkflow('held')
    const store = inMemoryRunStore()
    const both = createWorkflowHandler({ workflows: { held, quick }, runStore: store })
    const start = await both(postRequest({ workflow: 'held', input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    await start.body!.cancel()
    const log = await store.read(runId, 0)
    const refused = await both(postRequest({ workflow: 'quick', runId, abort: true }))
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('run_not_found')
    expect((await store.getRun(runId))!.status).toBe('running')
    expect(await store.read(runId, 0)).toEqual(log)
    release()
    await waitForStatus(store, runId, 'finished')
  })

  it.each([
    ['heartbeatMs: 0', { heartbeatMs: 0 }],
    ['heartbeatMs: -1', { heartbeatMs: -1 }],
    ['heartbeatMs: NaN', { heartbeatMs: Number.NaN }],
    // setInterval runs a delay past 2^31-1 ms every millisecond instead.
    ['heartbeatMs: Infinity', { heartbeatMs: Infinity }],
    ['heartbeatMs: 2^31', { heartbeatMs: 2 ** 31 }],
    // Every comparison with NaN is false: no body would ever be too large.
    ['maxBodyBytes: NaN', { maxBodyBytes: Number.NaN }],
    ['maxBodyBytes: -1', { maxBodyBytes: -1 }],
  ])('createWorkflowHandler refuses %s', (_name, options) => {
    expect(() => createWorkflowHandler({ workflow: quick, ...options })).toThrow(TypeError)
  })

  it('a signal whose payload schema makes what JSON cannot hold is refused with 500 and changes nothing', async () => {
    const store = inMemoryRunStore({ leaseTtl: 50 })
    const counting = defineWorkflow({
      name: 'counting',
      run: async function* () {
        const { n } = yield* waitForSignal('count', { payload: z.object({ n: z.coerce.bigint() }) })
        return String(n)
      },
    })
    const handler = createWorkflowHandler({ workflow: counting, runStore: store, onError: () => {} })
    const runId = runIdOf(await post(handler, { input: null }))
    const record = await store.getRun(runId)
    const log = await store.read(runId, 0)
    for (const signalId of ['first', 'again']) {
      const refused = await handler(postRequest({ runId, signal: { signalId, name: 'count', payload: { n: '5' } } }))
      expect(refused.status).toBe(500)
      expect(await store.getRun(runId)).toEqual(record)
      expect(await store.read(runId, 0)).toEqual(log)
    }
  })

  it('a store that fails to tell the tail once the reader is open answers 500 and holds no subscription', async () => {
    const memory = inMemoryRunStore()
    const failing: RunStore = Object.assign(Object.create(memory) as RunStore, {
      lastIndex: () => Promise.reject(new Error('store down')),
    })
    const { workflow, release } = heldWorkflow('held')
    const handler = createWorkflowHandler({ workflow, runStore: failing, onError: () => {} })
    const response = await handler(postRequest({ input: null }))
    expect(response.status).toBe(500)
    expect(memory.stats().subscribers).toBe(0)
    release()
  })

  it('returns the schema issues with invalid_input', async () => {
    const response = await handler(postRequest({ workflow: 'review', input: {} }))
    const body = (await response.json()) as { error: { issues: Array<{ message: string; path: string[] }> } }
    expect(body.error.issues).toEqual([expect.objectContaining({ path: ['topic'] })])
  })

  it('lets authorized requests through the same hook', async () => {
    const result = await post(guarded, { workflow: 'quick', input: null }, { authorization: 'Bearer ok' })
    expect(result.status).toBe(200)
    expect(result.events.at(-1)!.event.type).toBe('RUN_FINISHED')
  })

  it('passes action, run id and the run\'s workflow to authorize', async () => {
    const seen: unknown[] = []
    const spy = createWorkflowHandler({
      workflows,
      runStore: store,
      authorize: (_request, context) => {
        seen.push(context)
        return false
      },
    })
    await spy(postRequest({ runId: runs.approval, abort: true }))
    await spy(getRequest({ runId: runs.approval, startIndex: -1 }))
    await spy(postRequest({ workflow: 'quick', input: null }))
    // The requests name no workflow: the context has the run's.
    expect(seen).toEqual([
      { action: 'abort', runId: runs.approval, workflow: 'review' },
      { action: 'resume', runId: runs.approval, workflow: 'review' },
      { action: 'start', runId: undefined, workflow: 'quick' },
    ])
  })
})
