/**
 * The abuse table: bad requests over real HTTP against one server with an
 * `authorize` hook that namespaces runs per user. Each is answered with its
 * PROTOCOL §4 code as a JSON error without internals, and changes nothing:
 * every run's record and log, and the store's counts, are the same after it.
 * (packages/server/test/errors.test.ts checks each code in process; this
 * table adds the wire, per-user authorization on every action, oversize and
 * nested bodies, and runs in every state.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { approve, createWorkflowHandler, defineAgent, defineWorkflow, inMemoryRunStore, succeed, waitForSignal } from '@stepstream/server'
import { listen, type RunningServer } from '../fixtures/http-server.js'
import { approvalWorkflow } from './support/approval-workflow.js'

let release: () => void = () => {}
const released = new Promise<void>((resolve) => {
  release = resolve
})
const held = defineAgent({
  name: 'held',
  // Blocks until the suite ends, so its run stays `running` with a stable log.
  run: async ({ signal }) => {
    await Promise.race([released, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))])
    return 'released'
  },
})
const workflows = {
  approval: approvalWorkflow(),
  payment: defineWorkflow({
    name: 'payment',
    run: async function* () {
      return succeed({ paid: yield* waitForSignal('payment', { payload: z.object({ amount: z.number() }) }) })
    },
  }),
  running: defineWorkflow({
    name: 'running',
    agents: { held },
    run: async function* ({ agents }) {
      return succeed({ value: yield* agents.held() })
    },
  }),
  quick: defineWorkflow({
    name: 'quick',
    run: async function* () {
      const decision = yield* approve({ title: 'never reached when input.skip' })
      return succeed({ approved: decision.approved })
    },
  }),
}

const store = inMemoryRunStore()
let server: RunningServer
const alice = { 'x-user': 'alice' }
const bob = { 'x-user': 'bob' }

/** Runs belong to the user their id starts with; a start without an id is anyone's new run. */
const handler = createWorkflowHandler({
  workflows,
  runStore: store,
  onError: () => {},
  authorize: (request, { runId }) => {
    const user = request.headers.get('x-user')
    if (!user) return 'unauthorized'
    if (user === 'boom') throw new Error('session store down at /srv/auth/session.ts:42')
    return runId === undefined || runId.startsWith(`${user}-`)
  },
})

const runs = { paused: 'alice-paused', signal: 'alice-signal', running: 'alice-running', finished: 'alice-finished', aborted: 'alice-aborted', answered: 'alice-answered' }
const approvals = { paused: '', answered: '' }

function post(body: unknown, headers: Record<string, string> = alice, contentType = 'application/json'): Promise<Response> {
  return fetch(server.url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body) })
}
function get(query: Record<string, string | number>, headers: Record<string, string> = alice): Promise<Response> {
  const url = new URL(server.url)
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value))
  return fetch(url, { headers })
}
/** The approval id a paused run waits for, read from its log. */
async function pendingApprovalId(runId: string): Promise<string> {
  const record = await store.getRun(runId)
  if (record?.pending?.kind !== 'approval') throw new Error(`${runId} waits for no approval`)
  return record.pending.approvalId
}

beforeAll(async () => {
  server = await listen(handler)
  const start = async (workflow: string, runId: string, input: unknown) => (await post({ workflow, runId, input })).text()
  await start('approval', runs.paused, { topic: 'Owls' })
  approvals.paused = await pendingApprovalId(runs.paused)
  await start('payment', runs.signal, null)
  await start('approval', runs.answered, { topic: 'Bees' })
  approvals.answered = await pendingApprovalId(runs.answered)
  await (await post({ runId: runs.answered, approval: { approvalId: approvals.answered, approved: true } })).text()
  await start('quick', runs.aborted, null)
  await (await post({ runId: runs.aborted, abort: true })).text()
  await start('approval', runs.finished, { topic: 'Ants' })
  await (await post({ runId: runs.finished, approval: { approvalId: await pendingApprovalId(runs.finished), approved: false } })).text()
  // The running run's stream stays open while it runs; the table only needs the run.
  await (await post({ workflow: 'running', runId: runs.running, input: null })).body?.cancel()
  const statuses = await Promise.all(Object.values(runs).map(async (runId) => (await store.getRun(runId))?.status))
  expect(statuses).toEqual(['paused', 'paused', 'running', 'finished', 'aborted', 'finished'])
})

afterAll(async () => {
  release()
  await server?.close()
})

async function snapshot() {
  const { runs: count, events } = store.stats()
  const perRun = await Promise.all(Object.values(runs).map(async (runId) => ({ runId, record: await store.getRun(runId), log: await store.read(runId, 0) })))
  return { count, events, perRun }
}

/** A POST whose body streams in chunks with no declared length. */
function streamedPost(bytes: number): Promise<Response> {
  const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024 - 3)}",`)
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode('{"workflow":"quick","input":['))
      if (sent >= bytes) return controller.close()
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  return fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...alice }, body, duplex: 'half' } as RequestInit)
}

const nested = (depth: number) => `{"workflow":"quick","input":${'['.repeat(depth)}${']'.repeat(depth)}}`
const MiB = 1024 * 1024

type Row = [name: string, status: number, code: string, send: () => Promise<Response>]

const rows: Row[] = [
  // 400 invalid_json
  ['malformed JSON', 400, 'invalid_json', () => post('{"workflow":"quick","input": nul')],
  ['invalid UTF-8 in the body', 400, 'invalid_json', () => post(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]))],
  ['an empty body', 400, 'invalid_json', () => post('')],
  // 400 invalid_request: shape and types
  ['an array body', 400, 'invalid_request', () => post([{ input: null }])],
  ['a string body', 400, 'invalid_request', () => post('"start"')],
  ['no action', 400, 'invalid_request', () => post({ runId: runs.paused })],
  ['two actions', 400, 'invalid_request', () => post({ runId: runs.paused, startIndex: 0, abort: true })],
  ['startIndex as a string', 400, 'invalid_request', () => post({ runId: runs.paused, startIndex: '0' })],
  ['startIndex as a float', 400, 'invalid_request', () => post({ runId: runs.paused, startIndex: 1.5 })],
  ['runId as a number', 400, 'invalid_request', () => post({ runId: 42, startIndex: 0 })],
  ['runId with path characters', 400, 'invalid_request', () => get({ runId: '../alice-paused', startIndex: 0 })],
  ['approval.approved as a string', 400, 'invalid_request', () => post({ runId: runs.paused, approval: { approvalId: approvals.paused, approved: 'yes' } })],
  ['signal.name as a number', 400, 'invalid_request', () => post({ runId: runs.signal, signal: { signalId: 's1', name: 7 } })],
  ['abort as 1', 400, 'invalid_request', () => post({ runId: runs.paused, abort: 1 })],
  ['a __proto__ key in the input', 400, 'invalid_request', () => post('{"workflow":"approval","input":{"topic":"x","__proto__":{"polluted":true}}}')],
  ['nesting 100 levels deep', 400, 'invalid_request', () => post(nested(100))],
  ['nesting 200,000 levels deep', 400, 'invalid_request', () => post(nested(200_000))],
  ['GET with a non-integer startIndex', 400, 'invalid_request', () => get({ runId: runs.paused, startIndex: '1e3' })],
  ['GET with a negative Last-Event-ID', 400, 'invalid_request', () => get({ runId: runs.paused }, { ...alice, 'last-event-id': '-5' })],
  ['a DELETE', 400, 'invalid_request', () => fetch(server.url, { method: 'DELETE', headers: alice })],
  ['an unknown workflow', 400, 'invalid_request', () => post({ workflow: 'nope', input: null })],
  ['an AG-UI resume with two entries', 400, 'invalid_request', () => post({ threadId: runs.paused, runId: 'x', messages: [], resume: [{ interruptId: 'a', status: 'resolved' }, { interruptId: 'b', status: 'resolved' }] })],
  // 400 invalid_input
  ['an input that fails the schema', 400, 'invalid_input', () => post({ workflow: 'approval', input: { topic: '' } })],
  ['a signal payload that fails the schema', 400, 'invalid_input', () => post({ runId: runs.signal, signal: { signalId: 'p1', name: 'payment', payload: { amount: '10' } } })],
  // 401 / 403: authorization on every action
  ['no user (start)', 401, 'unauthorized', () => post({ workflow: 'quick', input: null }, {})],
  ['no user (GET resume)', 401, 'unauthorized', () => get({ runId: runs.paused, startIndex: 0 }, {})],
  ['no user (abort)', 401, 'unauthorized', () => post({ runId: runs.paused, abort: true }, {})],
  ["bob approves alice's run", 403, 'forbidden', () => post({ runId: runs.paused, approval: { approvalId: approvals.paused, approved: true } }, bob)],
  ["bob signals alice's run", 403, 'forbidden', () => post({ runId: runs.signal, signal: { signalId: 'b1', name: 'payment', payload: { amount: 1 } } }, bob)],
  ["bob aborts alice's run", 403, 'forbidden', () => post({ runId: runs.running, abort: true }, bob)],
  ["bob resumes alice's run (POST)", 403, 'forbidden', () => post({ runId: runs.paused, startIndex: 0 }, bob)],
  ["bob resumes alice's run (GET)", 403, 'forbidden', () => get({ runId: runs.paused, startIndex: 0 }, bob)],
  ["bob resumes alice's run (GET, negative index)", 403, 'forbidden', () => get({ runId: runs.finished, startIndex: -3 }, bob)],
  ["bob resumes alice's run (Last-Event-ID)", 403, 'forbidden', () => get({ runId: runs.answered }, { ...bob, 'last-event-id': '3' })],
  ["bob re-sends alice's start (an idempotent replay would leak her log)", 403, 'forbidden', () => post({ workflow: 'approval', runId: runs.paused, input: { topic: 'Owls' } }, bob)],
  ["bob answers alice's interrupt through AG-UI", 403, 'forbidden', () => post({ threadId: runs.paused, runId: 'agui-1', messages: [], resume: [{ interruptId: approvals.paused, status: 'resolved' }] }, bob)],
  // 404
  ['an unknown run (GET resume)', 404, 'run_not_found', () => get({ runId: 'alice-missing', startIndex: 0 })],
  ['an unknown run (approve)', 404, 'run_not_found', () => post({ runId: 'alice-missing', approval: { approvalId: approvals.paused, approved: true } })],
  ['an unknown run (abort)', 404, 'run_not_found', () => post({ runId: 'alice-missing', abort: true })],
  ['a run of another workflow', 404, 'run_not_found', () => post({ workflow: 'payment', runId: runs.paused, startIndex: 0 })],
  // 409: wrong ids and wrong states
  ['a start reusing a run id with another input', 409, 'run_id_conflict', () => post({ workflow: 'approval', runId: runs.paused, input: { topic: 'Other' } })],
  ['approving a running run', 409, 'run_not_paused', () => post({ runId: runs.running, approval: { approvalId: approvals.paused, approved: true } })],
  ['signalling a running run', 409, 'run_not_paused', () => post({ runId: runs.running, signal: { signalId: 'r1', name: 'payment' } })],
  ['approving a finished run', 409, 'run_not_paused', () => post({ runId: runs.finished, approval: { approvalId: approvals.paused, approved: true } })],
  ['approving an aborted run', 409, 'run_not_paused', () => post({ runId: runs.aborted, approval: { approvalId: approvals.paused, approved: true } })],
  ['aborting a finished run', 409, 'run_not_paused', () => post({ runId: runs.finished, abort: true })],
  ['the wrong approval id', 409, 'approval_mismatch', () => post({ runId: runs.paused, approval: { approvalId: approvals.answered, approved: true } })],
  ['approving a run that waits for a signal', 409, 'approval_mismatch', () => post({ runId: runs.signal, approval: { approvalId: approvals.paused, approved: true } })],
  ['an answered approval with another decision', 409, 'approval_conflict', () => post({ runId: runs.answered, approval: { approvalId: approvals.answered, approved: false } })],
  ['an answered approval with other feedback', 409, 'approval_conflict', () => post({ runId: runs.answered, approval: { approvalId: approvals.answered, approved: true, feedback: 'late' } })],
  ['a signal of another name', 409, 'signal_mismatch', () => post({ runId: runs.signal, signal: { signalId: 'm1', name: 'refund' } })],
  ['signalling a run that waits for an approval', 409, 'signal_mismatch', () => post({ runId: runs.paused, signal: { signalId: 'm2', name: 'payment', payload: { amount: 1 } } })],
  // 413: oversize bodies, declared and streamed, over the default 1 MiB
  ['a declared length over 1 MiB', 413, 'payload_too_large', () => post({ workflow: 'quick', input: 'x'.repeat(MiB + 1) })],
  ['a streamed body over 1 MiB (no length)', 413, 'payload_too_large', () => streamedPost(2 * MiB)],
  // 415
  ['a text/plain body', 415, 'unsupported_media_type', () => post({ workflow: 'quick', input: null }, alice, 'text/plain')],
  ['a form body', 415, 'unsupported_media_type', () => post('workflow=quick', alice, 'application/x-www-form-urlencoded')],
  // 500
  ['an authorize hook that throws', 500, 'internal', () => post({ workflow: 'quick', input: null }, { 'x-user': 'boom' })],
]

describe('abuse table over real HTTP: each answered with its code, nothing changed', () => {
  it('covers every code of PROTOCOL §4', () => {
    const codes = new Set(rows.map(([, , code]) => code))
    for (const code of ['invalid_json', 'invalid_request', 'invalid_input', 'unauthorized', 'forbidden', 'run_not_found', 'run_id_conflict', 'run_not_paused', 'approval_mismatch', 'approval_conflict', 'signal_mismatch', 'payload_too_large', 'unsupported_media_type', 'internal']) {
      expect(codes, code).toContain(code)
    }
    expect(rows.length).toBeGreaterThanOrEqual(25)
  })

  it.each(rows)('%s → %i %s', async (_name, status, code, send) => {
    const before = await snapshot()
    const response = await send()
    const text = await response.text()
    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/json/) })
    const body = JSON.parse(text) as { error: { code: string; message: string } }
    expect(body.error.code).toBe(code)
    expect(body.error.message).toEqual(expect.any(String))
    // Nothing internal leaks: no stack frames, no source paths.
    expect(text).not.toMatch(/\bat .+:\d+|\/srv\/|\.ts:\d|node_modules/)
    expect(await snapshot()).toEqual(before)
  })

  it('a refusal sent before the body was read leaves no stalled connection behind', async () => {
    // Keep-alive reuses the refused request's socket for the next requests;
    // each of them must be answered, not reset when the socket times out.
    for (const send of [() => post({ workflow: 'quick', input: 'x'.repeat(MiB + 1) }), () => streamedPost(2 * MiB), () => post({ input: null }, alice, 'text/plain')]) {
      const refused = await send()
      expect(refused.status).toBeGreaterThanOrEqual(400)
      await refused.text()
      for (let i = 0; i < 4; i++) {
        const next = await post('{', alice)
        expect(next.status).toBe(400)
        await next.text()
      }
    }
  })

  it('the same requests from the owner are served (the refusals above are about who asks)', async () => {
    const resume = await get({ runId: runs.paused, startIndex: 0 })
    expect(resume.status).toBe(200)
    expect(resume.headers.get('content-type')).toMatch(/^text\/event-stream/)
    await resume.text()
    const replay = await post({ workflow: 'approval', runId: runs.paused, input: { topic: 'Owls' } })
    expect(replay.status).toBe(200)
    await replay.text()
    const own = await post({ workflow: 'payment', runId: 'bob-own', input: null }, bob)
    expect(own.status).toBe(200)
    await own.text()
  })
})
