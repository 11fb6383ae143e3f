/**
 * Two (or more) real server processes on loopback sharing one Redis: any
 * process serves any run, paused runs survive restarts, a dead executor is
 * noticed, and nothing is lost or duplicated under load.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import { startServerProcess, stopAll, type ServerProcess } from './cluster/cluster.js'
import { approvalIdOf, post, readSse, resume, runIdOf, types } from './cluster/sse.js'
import { backends, uniquePrefix } from './helpers.js'

describe.each(backends)('on a $name', (backend) => {
  const redis = backend.rawClient()
  afterAll(async () => {
    await redis.quit()
  })

  async function calls(prefix: string, agent: string): Promise<number> {
    return Number((await redis.get(`${prefix}calls:${agent}`)) ?? 0)
  }

  function expectDense(indices: number[]): void {
    expect(indices).toEqual(indices.map((_, i) => i))
  }

  /** Two server processes on this backend sharing `prefix`, started at once. */
  function twoProcesses(options: { prefix: string; leaseTtl?: number }): Promise<[ServerProcess, ServerProcess]> {
    const start = () => startServerProcess({ ...backend.processRedis(), ...options })
    return Promise.all([start(), start()])
  }

  /** Two processes on a fresh prefix, started before the suite's tests and stopped after them. */
  function suitePair(): { prefix: string; a: ServerProcess; b: ServerProcess } {
    const pair = { prefix: uniquePrefix() } as { prefix: string; a: ServerProcess; b: ServerProcess }
    beforeAll(async () => {
      ;[pair.a, pair.b] = await twoProcesses({ prefix: pair.prefix })
    })
    afterAll(() => stopAll([pair.a, pair.b]))
    return pair
  }

  describe('two processes, one run', () => {
    const pair = suitePair()

    it('starts on A and resumes on B at a startIndex, with no event lost or repeated', async () => {
      // The client drops A's stream after 4 events, mid-run.
      const cut = await post(pair.a.url, { workflow: 'review', input: { topic: 'Rivers' } }, { stopAfter: 4 })
      const runId = runIdOf(cut)
      const rest = await resume(pair.b.url, runId, cut.events.length)
      const seen = [...cut.events, ...rest.events]
      expectDense(seen.map((e) => e.index))
      expect(types(seen).slice(-4)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'CUSTOM:approval-requested', 'RUN_FINISHED'])
      // Same log whichever process reads it, from any index.
      expect((await resume(pair.a.url, runId, 0)).events).toEqual(seen)
      expect((await resume(pair.b.url, runId, 7)).events).toEqual(seen.slice(7))
    })

    it('live-tails on B a run that A is executing', async () => {
      const started = await fetch(pair.a.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: 'review', input: { topic: 'Live' } }),
      })
      const runId = started.headers.get('x-workflow-run-id')!
      const [onA, onB] = await Promise.all([readSse(started), resume(pair.b.url, runId, 0)])
      expect(onB.events).toEqual(onA.events)
      expect(onB.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
    })

    it('approves on B a run paused on A; no agent runs twice', async () => {
      const first = await post(pair.a.url, { workflow: 'review', input: { topic: 'Owls' } })
      const runId = runIdOf(first)
      const before = { writer: await calls(pair.prefix, 'writer'), publisher: await calls(pair.prefix, 'publisher') }
      const second = await post(pair.b.url, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
      expect(second.events[0]!.index).toBe(first.events.at(-1)!.index + 1)
      expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { url: '/articles/10', approved: true } })
      expect(await calls(pair.prefix, 'writer')).toBe(before.writer)
      expect(await calls(pair.prefix, 'publisher')).toBe(before.publisher + 1)
      // A re-sent approval on A is a retry, served from the same segment.
      const retry = await post(pair.a.url, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
      expect(retry.events).toEqual(second.events)
    })
  })

  describe('restarts', () => {
    const prefix = uniquePrefix()
    const running: ServerProcess[] = []
    afterAll(() => stopAll(running))

    it('approves after both processes restarted while the run was paused; each agent ran once', async () => {
      const [a, b] = await twoProcesses({ prefix })
      running.push(a, b)
      const first = await post(a.url, { workflow: 'review', input: { topic: 'Moss' } })
      const runId = runIdOf(first)
      expect(first.events.at(-1)!.event).toMatchObject({ outcome: { type: 'interrupt' } })
      // A deploy: every process goes away (no graceful hand-over), new ones come up.
      await Promise.all([a.kill(), b.kill()])
      const [a2, b2] = await twoProcesses({ prefix })
      running.push(a2, b2)
      const second = await post(b2.url, { runId, approval: { approvalId: approvalIdOf(first), approved: false } })
      expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { approved: false } })
      const snapshot = second.events.find((e) => e.event.type === 'STATE_SNAPSHOT')!.event as { snapshot: unknown }
      expect(snapshot.snapshot).toEqual({ phase: 'review', notes: ['drafted'] })
      expect(await calls(prefix, 'writer')).toBe(1)
      expect(await calls(prefix, 'publisher')).toBe(1)
      const whole = await resume(a2.url, runId, 0)
      expectDense(whole.events.map((e) => e.index))
      expect(whole.events).toEqual([...first.events, ...second.events])
      // The approval step A opened at the pause is the one b2 reopened after the deploy: started once per segment, then finished with the decision.
      const stepId = first.events.at(-4)!.event.metadata!.stepId
      const ofStep = whole.events.filter(({ event }) => event.metadata?.stepId === stepId).map(({ event }) => [event.type, event.metadata])
      expect(ofStep).toEqual([
        ['STEP_STARTED', { stepId, stepType: 'approval' }],
        ['STEP_FINISHED', { stepId, suspended: true }],
        ['STEP_STARTED', { stepId, stepType: 'approval' }],
        ['STEP_FINISHED', { stepId, result: { approved: false, approvalId: approvalIdOf(first) } }],
      ])
    })
  })

  describe('a dead executor', () => {
    const prefix = uniquePrefix()
    const running: ServerProcess[] = []
    const clients: WorkflowClient[] = []
    afterEach(() => clients.splice(0).forEach((client) => client.dispose()))
    afterAll(() => stopAll(running))

    it('killed mid-step: B settles its clients with RUN_ERROR executor_lost, appended once', async () => {
      const [a, b] = await twoProcesses({ prefix, leaseTtl: 1_000 })
      running.push(a, b)
      // Start on A and read until the agent is streaming, i.e. mid-step.
      const head = await post(a.url, { workflow: 'hang', input: null }, { stopAfter: 5 })
      const runId = runIdOf(head)
      expect(types(head.events)).toContain('TEXT_MESSAGE_CONTENT')
      const watchers = [0, 1].map(() => {
        const client = new WorkflowClient({ connection: fetchWorkflowEvents(b.url, { body: { workflow: 'hang' } }), reconnect: false })
        clients.push(client)
        return client
      })
      const settled = watchers.map((client) => client.attach(runId, { startIndex: 0 }))
      await a.kill()
      for (const state of await Promise.all(settled)) {
        expect(state.status).toBe('error')
        expect(state.error?.code).toBe('executor_lost')
        // The step that was running when the process died is closed, not left spinning.
        expect(state.steps.map((step) => step.status)).toEqual(['failed'])
      }
      const log = (await resume(b.url, runId, 0)).events
      expect(log.filter((e) => e.event.type === 'RUN_ERROR')).toHaveLength(1)
      expect(types(log).slice(-4)).toEqual(['TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'STEP_FINISHED', 'RUN_ERROR'])
      expect(await calls(prefix, 'stuck')).toBe(1)
    })
  })

  describe('load over two processes', () => {
    const pair = suitePair()

    it('200 concurrent runs, started on one process and signalled on the other: zero lost or duplicated events', async () => {
      const RUNS = 200
      const results = await Promise.all(
        Array.from({ length: RUNS }, async (_, n) => {
          const [starter, signaller] = n % 2 === 0 ? [pair.a, pair.b] : [pair.b, pair.a]
          const first = await post(starter.url, { workflow: 'burst', input: null })
          const runId = runIdOf(first)
          const second = await post(signaller.url, { runId, signal: { signalId: `go-${n}`, name: 'go', payload: { n } } })
          return { n, runId, streamed: [...first.events, ...second.events] }
        }),
      )
      for (const { n, runId, streamed } of results) {
        expectDense(streamed.map((e) => e.index))
        expect(streamed.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: n })
        expect(streamed.filter((e) => e.event.type === 'RUN_STARTED')).toHaveLength(2)
        // What the clients were streamed is exactly the stored log.
        expect((await resume(n % 2 === 0 ? pair.b.url : pair.a.url, runId, 0)).events).toEqual(streamed)
      }
      expect(new Set(results.map((r) => r.runId)).size).toBe(RUNS)
      // Two agent steps per run, each executed exactly once although every signal was applied by replay.
      expect(await calls(pair.prefix, 'quick')).toBe(2 * RUNS)
    })
  })
})
