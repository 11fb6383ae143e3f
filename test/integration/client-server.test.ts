import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fetchWorkflowEvents, WorkflowClient, type WorkflowClientState } from '@stepstream/client'
import { createWorkflowHandler, defineWorkflow, inMemoryRunStore, sleep, waitForSignal } from '@stepstream/server'
import { articleWorkflow } from './article-workflow.js'
import { listen, type RunningServer } from '../fixtures/http-server.js'

const outputSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), article: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
])

let running: RunningServer | undefined
afterEach(async () => {
  await running?.close()
  running = undefined
})

async function setUp(options: { chunkDelayMs?: number } = {}) {
  const store = inMemoryRunStore()
  running = await listen(createWorkflowHandler({ workflow: articleWorkflow(options), runStore: store }))
  const requests: string[] = []
  const connection = fetchWorkflowEvents(running.url, {
    fetchClient: (url, init) => {
      requests.push(`${init.method} ${init.method === 'GET' ? new URL(url).search : JSON.stringify(JSON.parse(String(init.body)))}`)
      return fetch(url, init)
    },
  })
  const newClient = () => new WorkflowClient({ connection, input: z.object({ topic: z.string() }), output: outputSchema, validate: true })
  return { store, requests, newClient }
}

/** What a UI shows: independent of timing and connection history. */
function visible(state: WorkflowClientState) {
  return {
    status: state.status,
    steps: state.steps.map((step) => ({ name: step.stepName, type: step.stepType, status: step.status, text: step.text, result: step.result })),
    state: state.state,
    output: state.output,
    // Approval ids are random per run; what a reviewer sees is compared.
    pendingApproval: state.pendingApproval && { title: state.pendingApproval.title, description: state.pendingApproval.description },
    lastEventIndex: state.lastEventIndex,
  }
}

describe('WorkflowClient against the reference server over real HTTP', () => {
  it('runs the article workflow: stream, pause, request changes, approve, finish', async () => {
    const { newClient } = await setUp()
    const client = newClient()
    const paused = await client.start({ topic: 'rivers' })
    expect(paused.status).toBe('paused')
    expect(paused.steps.map((step) => [step.stepName, step.status])).toEqual([
      ['writer', 'finished'],
      ['editor', 'finished'],
      ['Publish this article?', 'running'],
    ])
    expect(paused.steps[0]!.text).toBe('A first draft about rivers with several words to stream')
    expect(paused.currentText).toBe('Polished the draft')
    expect(paused.state).toEqual({ phase: 'review', revisions: 0 })
    expect(paused.pendingApproval).toMatchObject({ title: 'Publish this article?', description: 'Draft about rivers (polished)' })

    const revised = await client.approve(false, 'more about fish')
    expect(revised.status).toBe('paused')
    expect(revised.currentText).toBe('Revised with: more about fish')
    expect(revised.state).toEqual({ phase: 'review', revisions: 1 })

    const finished = await client.approve(true)
    await Promise.resolve()
    expect(client.state.status).toBe('finished')
    expect(client.state.output).toEqual({ ok: true, article: 'Draft about rivers (revised: more about fish)' })
    expect(finished.state).toEqual({ phase: 'published', revisions: 1 })
    expect(finished.connection).toBe('closed')
  })

  it('the approval step spans the pause: running from the pause, finished by the decision', async () => {
    const { newClient, store } = await setUp()
    const client = newClient()
    const paused = await client.start({ topic: 'deltas' })
    const waiting = paused.steps.at(-1)!
    expect(waiting).toMatchObject({ stepName: 'Publish this article?', stepType: 'approval', status: 'running' })
    expect(waiting.finishedAt).toBeUndefined()
    // Its start is the pausing segment's STEP_STARTED (at or before the interrupt the client stopped at).
    const log = await store.read(paused.runId!, 0)
    const opened = log.find(({ event }) => event.type === 'STEP_STARTED' && event.metadata?.stepId === waiting.stepId)!
    expect(opened.index).toBeLessThan(paused.lastEventIndex)
    expect(waiting.startedAt).toBe(opened.event.timestamp)

    const finished = await client.approve(true)
    const decided = finished.steps.filter((step) => step.stepType === 'approval')
    expect(decided).toHaveLength(1)
    expect(decided[0]).toMatchObject({ stepId: waiting.stepId, status: 'finished', startedAt: waiting.startedAt, result: { approved: true } })
    expect(decided[0]!.finishedAt).toBeGreaterThanOrEqual(waiting.startedAt)
    // Finished by the resumed segment's STEP_FINISHED, not by the suspended one at the pause.
    const closed = (await store.read(paused.runId!, paused.lastEventIndex + 1)).find(
      ({ event }) => event.type === 'STEP_FINISHED' && event.metadata?.stepId === waiting.stepId,
    )!
    expect(decided[0]!.finishedAt).toBe(closed.event.timestamp)
  })

  it('aborting a paused run leaves no step running: the approval step ends failed', async () => {
    const { newClient } = await setUp()
    const paused = await newClient().start({ topic: 'abandoned' })
    const waiting = paused.steps.at(-1)!
    const stopped = newClient()
    await stopped.attach(paused.runId!)
    await stopped.stop()
    const observer = await newClient().attach(paused.runId!)
    expect(observer.status).toBe('aborted')
    expect(observer.steps.filter((step) => step.status === 'running')).toEqual([])
    expect(observer.steps.at(-1)).toMatchObject({ stepId: waiting.stepId, status: 'failed', startedAt: waiting.startedAt, error: { name: 'AbortError' } })
    expect(observer.steps.at(-1)!.finishedAt).toBeGreaterThanOrEqual(waiting.startedAt)
  })

  it('ends with ok: false when the reviewer rejects without feedback', async () => {
    const { newClient } = await setUp()
    const client = newClient()
    await client.start({ topic: 'x' })
    const state = await client.approve(false)
    expect(state).toMatchObject({ status: 'finished', output: { ok: false, reason: 'Rejected by the reviewer' } })
    expect(state.steps.at(-1)).toMatchObject({ stepType: 'approval', status: 'finished', result: { approved: false } })
  })

  it('a server 400 ends the attempt with its code after one request', async () => {
    await setUp()
    let requests = 0
    const client = new WorkflowClient({
      connection: fetchWorkflowEvents(running!.url, { fetchClient: (url, init) => (requests++, fetch(url, init)) }),
    })
    const state = await client.start({ topic: '' })
    expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'invalid_input' } })
    expect(requests).toBe(1)
  })

  it('disconnect mid-stream then resume gives the same state as an uninterrupted run', async () => {
    const { newClient, requests } = await setUp({ chunkDelayMs: 5 })
    const reference = await newClient().start({ topic: 'lakes' })

    const client = newClient()
    const started = client.start({ topic: 'lakes' })
    await expect.poll(() => client.state.steps[0]?.text.split(' ').length ?? 0, { timeout: 10_000 }).toBeGreaterThan(3)
    client.disconnect()
    await started
    expect(client.state.connection).toBe('closed')
    const resumed = await client.resume()
    expect(visible(resumed)).toEqual(visible(reference))
    expect(requests.at(-1)).toMatch(/^GET \?runId=.*&startIndex=\d+$/)
  })

  it('attaching from a fresh client (a reload) replays the run to the same state', async () => {
    const { newClient } = await setUp()
    const first = newClient()
    const paused = await first.start({ topic: 'hills' })
    const reloaded = newClient()
    const attached = await reloaded.attach(paused.runId!)
    expect(visible(attached)).toEqual(visible(paused))
    const finished = await reloaded.approve(true)
    expect(finished.status).toBe('finished')
  })

  it('attaching with a negative startIndex follows only the last events of the log, counted from its end (PROTOCOL §4)', async () => {
    const { newClient, store, requests } = await setUp()
    const paused = await newClient().start({ topic: 'lakes' })
    const last = (await store.read(paused.runId!, 0)).at(-1)!.index
    const seen: number[] = []
    const tail = new WorkflowClient({ connection: fetchWorkflowEvents(running!.url), onEvent: (_, index) => seen.push(index) })
    const attached = await tail.attach(paused.runId!, { startIndex: -3 })
    expect(requests.length).toBe(1)
    expect(seen).toEqual([last - 2, last - 1, last])
    // The last events are the pause: the approval can be answered from here.
    expect(attached).toMatchObject({ status: 'paused', connection: 'closed', lastEventIndex: last, error: null })
    expect(attached.pendingApproval).toMatchObject({ title: 'Publish this article?' })
    expect(await tail.approve(true)).toMatchObject({ status: 'finished' })
  })

  it.each([1.5, Number.NaN])('attaching with a startIndex that is no integer (%s) is refused by the client before any request, never running', async (startIndex) => {
    const { newClient, requests } = await setUp()
    const paused = await newClient().start({ topic: 'lakes' })
    const sent = requests.length
    const tail = newClient()
    await expect(tail.attach(paused.runId!, { startIndex })).rejects.toMatchObject({ name: 'WorkflowUsageError', code: 'invalid_start_index' })
    expect(requests.length).toBe(sent)
    expect(tail.state).toMatchObject({ status: 'idle', connection: 'idle', runId: null, lastEventIndex: -1 })
  })

  it('stop() aborts the run on the server', async () => {
    const { newClient, store } = await setUp({ chunkDelayMs: 20 })
    const client = newClient()
    const started = client.start({ topic: 'slow' })
    await expect.poll(() => client.state.currentText.length, { timeout: 10_000 }).toBeGreaterThan(0)
    const stopped = await client.stop()
    await started
    expect(stopped.status).toBe('aborted')
    const runId = stopped.runId!
    await expect.poll(async () => (await store.read(runId, 0)).at(-1)?.event, { timeout: 10_000 }).toMatchObject({ type: 'RUN_ERROR', code: 'aborted' })
    // A later look at the run shows it aborted, not running.
    const observer = newClient()
    const attached = await observer.attach(runId)
    expect(attached.status).toBe('aborted')
  })
})

describe('a pause the server ends by itself at its deadline', () => {
  const timed = defineWorkflow({
    name: 'timed',
    input: z.object({ wait: z.enum(['sleep', 'signal']), ms: z.number() }),
    run: async function* ({ input }) {
      if (input.wait === 'sleep') {
        yield* sleep(input.ms)
        return 'slept'
      }
      return yield* waitForSignal<string>('payment', { deadline: Date.now() + input.ms })
    },
  })

  async function timedClient() {
    running = await listen(createWorkflowHandler({ workflow: timed, runStore: inMemoryRunStore() }))
    const requests: string[] = []
    const client = new WorkflowClient({
      connection: fetchWorkflowEvents(running.url, { fetchClient: (url, init) => (requests.push(init.method ?? 'GET'), fetch(url, init)) }),
    })
    return { client, requests }
  }

  it('a sleep: the client shows it waiting, then follows the run on by itself when it wakes', async () => {
    const { client, requests } = await timedClient()
    const paused = await client.start({ wait: 'sleep', ms: 100 })
    // Nobody can end a sleep early: it offers no signal to send.
    expect(paused).toMatchObject({ status: 'paused', pendingSignal: null, pendingApproval: null })
    expect(paused.steps).toMatchObject([{ stepName: 'sleep', stepType: 'signal', status: 'running' }])
    await expect.poll(() => client.state.status, { timeout: 10_000 }).toBe('finished')
    expect(client.state.output).toBe('slept')
    expect(client.state.steps).toMatchObject([{ stepName: 'sleep', status: 'finished' }])
    expect(requests[0]).toBe('POST')
    expect(requests.slice(1).every((method) => method === 'GET')).toBe(true)
    client.dispose()
  })

  it('a signal nobody sent before its deadline: the client picks up the timeout instead of offering the signal forever', async () => {
    const { client } = await timedClient()
    const paused = await client.start({ wait: 'signal', ms: 100 })
    expect(paused.pendingSignal).toMatchObject({ signalName: 'payment', deadline: expect.any(String) })
    await expect.poll(() => client.state.status, { timeout: 10_000 }).toBe('error')
    expect(client.state).toMatchObject({ error: { code: 'timeout' }, pendingSignal: null })
    expect(client.state.steps.at(-1)).toMatchObject({ stepName: 'payment', status: 'failed', error: { name: 'TimeoutError' } })
    client.dispose()
  })
})
