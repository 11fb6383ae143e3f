import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  approve,
  createWorkflowHandler,
  defineAgent,
  defineWorkflow,
  inMemoryRunStore,
  mockAgent,
  runRetentionMs,
  sleep,
  waitForSignal,
  type RunRecord,
} from '@stepstream/server'
import { approvalIdOf, eventsOfType, gate, get, getRequest, post, postRequest, readLog, readSse, runIdOf, runRecord, types, waitForStatus, waitUntil } from './helpers.js'

const writer = mockAgent({ name: 'writer', text: 'one two three', result: () => 'text' })

/** Two approvals, so a run has several segments and stays paused in between. */
const twoApprovals = defineWorkflow({
  name: 'two-approvals',
  agents: { writer },
  initialize: () => ({ approvals: 0 }),
  run: async function* ({ agents, state }) {
    yield* agents.writer()
    yield* approve({ title: 'First?' })
    state.approvals += 1
    yield* approve({ title: 'Second?' })
    state.approvals += 1
    return state.approvals
  },
})

/** An agent held at a gate, so a test decides when the run may go on. */
function gatedWorkflow() {
  const hold = gate()
  const seenSignal: { aborted: boolean | undefined } = { aborted: undefined }
  const slow = defineAgent({
    name: 'slow',
    run: async ({ signal }) => {
      signal.addEventListener('abort', () => {
        seenSignal.aborted = true
      })
      await Promise.race([hold.opened, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))])
      return 'slow result'
    },
  })
  const workflow = defineWorkflow({
    name: 'gated',
    agents: { slow, writer },
    run: async function* ({ agents }) {
      const first = yield* agents.slow()
      yield* agents.writer()
      return first
    },
  })
  return { workflow, hold, seenSignal }
}

function serve(workflow: Parameters<typeof createWorkflowHandler>[0]['workflow'], heartbeatMs?: number) {
  const store = inMemoryRunStore()
  const handler = createWorkflowHandler({ workflow: workflow!, runStore: store, ...(heartbeatMs ? { heartbeatMs } : {}) })
  return { store, handler }
}

async function pausedTwice() {
  const served = serve(twoApprovals)
  const first = await post(served.handler, { input: null })
  const runId = runIdOf(first)
  const second = await post(served.handler, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
  return { ...served, runId, first, second, log: await readLog(served.store, runId) }
}

describe('resume', () => {
  it('serves events from startIndex with the run id, tail index and SSE headers', async () => {
    const { handler, runId, log } = await pausedTwice()
    const resumed = await post(handler, { runId, startIndex: 3 })
    expect(resumed.status).toBe(200)
    expect(resumed.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(resumed.headers.get('cache-control')).toBe('no-cache')
    expect(resumed.headers.get('x-workflow-run-id')).toBe(runId)
    expect(resumed.headers.get('x-workflow-stream-tail-index')).toBe(String(log.length - 1))
    expect(resumed.events).toEqual(log.slice(3))
  })

  it('replays the whole log across segments from 0', async () => {
    const { handler, runId, first, second, log } = await pausedTwice()
    const replay = await get(handler, { runId, startIndex: 0 })
    expect(replay.events).toEqual([...first.events, ...second.events])
    expect(replay.events).toEqual(log)
    expect(types(replay.events).filter((type) => type === 'RUN_STARTED')).toHaveLength(2)
  })

  it('counts a negative startIndex from the tail', async () => {
    const { handler, runId, log } = await pausedTwice()
    const lastTwo = await post(handler, { runId, startIndex: -2 })
    expect(lastTwo.events).toEqual(log.slice(-2))
    const all = await post(handler, { runId, startIndex: -10_000 })
    expect(all.events).toEqual(log)
  })

  it('resumes after Last-Event-ID, which wins over the query', async () => {
    const { handler, runId, log } = await pausedTwice()
    const resumed = await get(handler, { runId, startIndex: 0 }, { 'last-event-id': '4' })
    expect(resumed.events).toEqual(log.slice(5))
  })

  it('closes at once when nothing is left', async () => {
    const { handler, runId, log } = await pausedTwice()
    const resumed = await post(handler, { runId, startIndex: log.length })
    expect(resumed.status).toBe(200)
    expect(resumed.events).toEqual([])
  })

  it('live-tails a running run until its segment ends', async () => {
    const { workflow, hold } = gatedWorkflow()
    const { handler, store } = serve(workflow)
    const start = await handler(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    const tail = await handler(getRequest({ runId, startIndex: 1 }))
    // The agent is held: the log so far is RUN_STARTED, STATE_SNAPSHOT, STEP_STARTED.
    expect(tail.headers.get('x-workflow-stream-tail-index')).toBe('2')
    hold.open()
    const [started, tailed] = await Promise.all([readSse(start), readSse(tail)])
    expect(tailed.events).toEqual(started.events.slice(1))
    expect(tailed.events.at(-1)!.event.type).toBe('RUN_FINISHED')
    expect(store.stats().subscribers).toBe(0)
  })

  it('keeps running when the client disconnects, and releases its subscription', async () => {
    const { workflow, hold } = gatedWorkflow()
    const { handler, store } = serve(workflow)
    const start = await handler(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    expect(store.stats().subscribers).toBe(1)
    await start.body!.cancel()
    expect(store.stats().subscribers).toBe(0)
    hold.open()
    await waitForStatus(store, runId, 'finished')
    const replay = await get(handler, { runId, startIndex: 0 })
    expect(replay.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'slow result' })
  })

  it('holds nothing for a client that went away before its response was made, and the run goes on', async () => {
    // A host need not read or cancel the body of a request whose client has gone: the request's signal says so.
    const { workflow, hold } = gatedWorkflow()
    const { handler, store } = serve(workflow)
    const start = await handler(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    await start.body!.cancel()
    const gone = new AbortController()
    gone.abort()
    const response = await handler(new Request(getRequest({ runId, startIndex: 0 }), { signal: gone.signal }))
    expect(store.stats().subscribers).toBe(0)
    // Its body ends at once rather than live-tailing for nobody.
    expect((await readSse(response)).events).toEqual([])
    hold.open()
    await waitForStatus(store, runId, 'finished')
  })

  it('ends a response that live-tails a run when the run is deleted', async () => {
    const { workflow, hold } = gatedWorkflow()
    // The reader looks after its run every lease TTL.
    const store = inMemoryRunStore({ leaseTtl: 20 })
    const handler = createWorkflowHandler({ workflow, runStore: store })
    const start = await handler(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    await store.deleteRun(runId)
    // No terminal event: the client sees a drop, resumes, and gets 404 run_not_found.
    const seen = await readSse(start)
    expect(types(seen.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED'])
    expect((await handler(getRequest({ runId, startIndex: 3 }))).status).toBe(404)
    hold.open()
  })

  it('ends a response that live-tails a run when the run is deleted, even if a new run takes its id at once', async () => {
    const { workflow, hold } = gatedWorkflow()
    // The default lease TTL: the reader's watchdog does not look again within this test, and would find a run under this id anyway.
    const { handler, store } = serve(workflow)
    const first = await handler(postRequest({ runId: 'reused', input: null }))
    await store.deleteRun('reused')
    const second = await handler(postRequest({ runId: 'reused', input: null }))
    // The first client sees a drop (after what it was sent of the deleted run), not heartbeats forever.
    const seen = types((await readSse(first)).events)
    expect(seen).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED'].slice(0, seen.length))
    hold.open()
    expect((await readSse(second)).events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'slow result' })
    expect(store.stats().subscribers).toBe(0)
  })

  it('sends heartbeats while the stream is idle', async () => {
    const { workflow, hold } = gatedWorkflow()
    const { handler } = serve(workflow, 5)
    const response = await handler(postRequest({ input: null }))
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    // Read until a ping arrives (the agent is held, so the stream is idle), then let the run finish.
    while (!text.includes(': ping\n\n')) {
      const { value, done } = await reader.read()
      if (done) throw new Error('stream ended before any heartbeat')
      text += decoder.decode(value)
    }
    hold.open()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value)
    }
    expect(text).toMatch(/^id: 0\ndata: \{"type":"RUN_STARTED"/)
    expect(text).toContain('"type":"RUN_FINISHED"')
  })
})

describe('idempotent retries', () => {
  it('serves a retried start (same id, same input) like resume from 0 and starts nothing new', async () => {
    const { handler, store, runId, log } = await pausedTwice()
    const retried = await post(handler, { runId, input: null })
    expect(retried.status).toBe(200)
    expect(retried.events).toEqual(log)
    expect(await readLog(store, runId)).toEqual(log)
  })

  it('serves a re-sent approval like resume from its segment', async () => {
    const { handler, store, runId, first, second, log } = await pausedTwice()
    const again = await post(handler, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
    expect(again.events).toEqual(second.events)
    expect(await readLog(store, runId)).toEqual(log)
  })

  it('serves a re-sent signal (same signalId) like resume from its segment', async () => {
    const workflow = defineWorkflow({
      name: 'signals',
      run: async function* () {
        const a = yield* waitForSignal('go')
        const b = yield* waitForSignal('go')
        return [a, b]
      },
    })
    const { handler, store } = serve(workflow)
    const runId = runIdOf(await post(handler, { input: null }))
    const first = await post(handler, { runId, signal: { signalId: 's1', name: 'go', payload: 1 } })
    const log = await readLog(store, runId)
    const again = await post(handler, { runId, signal: { signalId: 's1', name: 'go', payload: 1 } })
    expect(again.events).toEqual(first.events)
    expect(await readLog(store, runId)).toEqual(log)
    const next = await post(handler, { runId, signal: { signalId: 's2', name: 'go', payload: 2 } })
    expect(next.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: [1, 2] })
  })
})

describe('abort', () => {
  it('appends RUN_ERROR aborted, fires the agent signal and ends open streams', async () => {
    const { workflow, seenSignal } = gatedWorkflow()
    const { handler, store } = serve(workflow)
    const start = await handler(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    const aborted = await handler(postRequest({ runId, abort: true }))
    expect(aborted.status).toBe(202)
    expect(await aborted.json()).toEqual({ runId, status: 'aborted' })
    const streamed = await readSse(start)
    expect(types(streamed.events).slice(-2)).toEqual(['STEP_FINISHED', 'RUN_ERROR'])
    expect(streamed.events.at(-1)!.event).toMatchObject({ code: 'aborted' })
    expect(seenSignal.aborted).toBe(true)
    expect((await store.getRun(runId))!.status).toBe('aborted')
    // Nothing the agent does afterwards reaches the log.
    const log = await readLog(store, runId)
    expect(log.at(-1)!.event.type).toBe('RUN_ERROR')
    expect(store.stats().subscribers).toBe(0)
  })

  it("unwinds the body (its finally runs) at once, even while an agent ignores the abort signal", async () => {
    const hold = gate()
    const unwound: string[] = []
    // Like an SDK call that takes no AbortSignal: it settles when it settles.
    const deaf = defineAgent({ name: 'deaf', run: () => hold.opened.then(() => 'late') })
    const workflow = defineWorkflow({
      name: 'deaf-agent',
      agents: { deaf },
      run: async function* ({ agents }) {
        try {
          return yield* agents.deaf()
        } finally {
          unwound.push('finally')
        }
      },
    })
    const { handler, store } = serve(workflow)
    const start = await handler(postRequest({ input: null }))
    const runId = start.headers.get('x-workflow-run-id')!
    expect((await handler(postRequest({ runId, abort: true }))).status).toBe(202)
    expect((await readSse(start)).events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'aborted' })
    await waitUntil(() => unwound.length > 0, 'the body to unwind')
    expect(unwound).toEqual(['finally'])
    // The agent settling later writes nothing and unwinds nothing twice.
    const log = await readLog(store, runId)
    hold.open()
    await hold.opened
    await new Promise((resolve) => setImmediate(resolve))
    expect(await readLog(store, runId)).toEqual(log)
    expect(unwound).toEqual(['finally'])
  })

  it('aborts a paused run in a segment of its own, and a second abort changes nothing', async () => {
    const { handler, store, runId, log } = await pausedTwice()
    const aborted = await handler(postRequest({ runId, abort: true }))
    expect(aborted.status).toBe(202)
    const after = await readLog(store, runId)
    // The waiting approval step is reopened only to end as aborted, like the open steps of a live run.
    expect(types(after.slice(log.length))).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STEP_STARTED', 'STEP_FINISHED', 'RUN_ERROR'])
    const waitingStep = eventsOfType(log, 'STEP_STARTED').at(-1)!
    expect(waitingStep).toMatchObject({ stepName: 'Second?', metadata: { stepType: 'approval' } })
    expect(eventsOfType(after.slice(log.length), 'STEP_FINISHED')[0]!.metadata).toEqual({
      stepId: waitingStep.metadata!.stepId,
      error: { name: 'AbortError', message: 'Run aborted' },
    })
    expect((await handler(postRequest({ runId, abort: true }))).status).toBe(202)
    expect(await readLog(store, runId)).toEqual(after)
    const late = await handler(postRequest({ runId, approval: { approvalId: 'any', approved: true } }))
    expect(late.status).toBe(409)
  })

  it('records the segment an abort of a paused run gets, like every other segment', async () => {
    const { handler, store, runId, log } = await pausedTwice()
    const before = (await store.getRun(runId))!.segmentStarts
    await handler(postRequest({ runId, abort: true }))
    expect((await store.getRun(runId))!.segmentStarts).toEqual([...before, log.length])
    expect((await readLog(store, runId))[log.length]!.event.type).toBe('RUN_STARTED')
  })
})

describe('ttl', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runRetentionMs: the one rule every store keeps runs by, bad deadlines and ttls included', () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') })
    const record = (status: RunRecord['status'], deadline?: string): RunRecord =>
      runRecord('r', { status, ...(deadline === undefined ? {} : { pending: { kind: 'signal', signalName: '__sleep', deadline } }) })
    expect(runRetentionMs(record('running'), 1_000)).toBeUndefined()
    expect(runRetentionMs(record('finished'), Infinity)).toBeUndefined()
    expect(runRetentionMs(record('finished'), 1_000)).toBe(1_000)
    expect(runRetentionMs(record('failed'), -5)).toBe(0)
    expect(runRetentionMs(record('paused', '2026-01-01T01:00:00Z'), 1_000)).toBe(3_601_000)
    // A deadline already passed, or not a date, adds nothing.
    expect(runRetentionMs(record('paused', '2025-12-31T00:00:00Z'), 1_000)).toBe(1_000)
    expect(runRetentionMs(record('paused', 'next tuesday'), 1_000)).toBe(1_000)
  })

  it('drops finished and idle paused runs after ttl, but never a running one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const store = inMemoryRunStore({ ttl: 1_000 })
    let cleanedUp = false
    const paused = defineWorkflow({
      name: 'paused',
      run: async function* () {
        try {
          yield* approve({ title: 'Ok?' })
          return null
        } finally {
          cleanedUp = true
        }
      },
    })
    const { workflow: running, hold } = gatedWorkflow()
    const quick = defineWorkflow({
      name: 'quick',
      run: async function* () {
        return 1
      },
    })
    const handler = createWorkflowHandler({ workflows: { paused, running, quick }, runStore: store })
    const pausedRun = runIdOf(await post(handler, { workflow: 'paused', input: null }))
    const finishedRun = runIdOf(await post(handler, { workflow: 'quick', input: null }))
    const runningStart = await handler(postRequest({ workflow: 'running', input: null }))
    const runningRun = runningStart.headers.get('x-workflow-run-id')!
    await runningStart.body!.cancel()

    vi.advanceTimersByTime(999)
    expect(store.stats().runs).toBe(3)
    vi.advanceTimersByTime(1)
    expect(await store.getRun(pausedRun)).toBeUndefined()
    expect(await store.getRun(finishedRun)).toBeUndefined()
    expect((await store.getRun(runningRun))!.status).toBe('running')
    expect((await handler(getRequest({ runId: finishedRun, startIndex: 0 }))).status).toBe(404)
    expect((await handler(postRequest({ runId: pausedRun, approval: { approvalId: 'x', approved: true } }))).status).toBe(404)
    // A paused run keeps no generator (a decision rebuilds it by replay), so
    // neither the pause nor the expiry ran its finally block: the body never ended.
    expect(cleanedUp).toBe(false)

    hold.open()
    await waitForStatus(store, runningRun, 'finished')
    vi.advanceTimersByTime(1_000)
    expect(store.stats().runs).toBe(0)
  })

  it('keeps a paused run with a deadline until ttl after that deadline: it is not idle, the deadline wakes it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const store = inMemoryRunStore({ ttl: 1_000 })
    const napping = defineWorkflow({
      name: 'napping',
      run: async function* () {
        yield* sleep(60_000)
        return 'awake'
      },
    })
    const handler = createWorkflowHandler({ workflow: napping, runStore: store })
    const runId = runIdOf(await post(handler, { input: null }))
    vi.advanceTimersByTime(1_000)
    expect((await store.getRun(runId))!.status).toBe('paused')
    vi.advanceTimersByTime(60_000)
    expect(await store.getRun(runId)).toBeUndefined()
  })

  it.each([
    ['Infinity', Infinity],
    ['longer than a timer can wait (2^31 ms, about 25 days)', 2 ** 31],
  ])('keeps runs for a ttl of %s', async (_name, ttl) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const store = inMemoryRunStore({ ttl })
    const quick = defineWorkflow({
      name: 'quick',
      run: async function* () {
        return 1
      },
    })
    const handler = createWorkflowHandler({ workflow: quick, runStore: store })
    const runId = runIdOf(await post(handler, { input: null }))
    await waitForStatus(store, runId, 'finished')
    vi.advanceTimersByTime(2 ** 31 - 1)
    expect((await store.getRun(runId))!.status).toBe('finished')
    if (ttl === Infinity) return
    vi.advanceTimersByTime(1)
    expect(await store.getRun(runId)).toBeUndefined()
  })
})
