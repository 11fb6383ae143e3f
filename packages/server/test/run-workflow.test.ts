import type { IndexedEvent } from '@stepstream/protocol'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  approve,
  defineWorkflow,
  fail,
  inMemoryRunStore,
  mockAgent,
  runWorkflow,
  succeed,
  WorkflowRequestError,
  type WorkflowEventStream,
} from '@stepstream/server'
import { heldWorkflow, types, waitForStatus, waitUntil } from './helpers.js'

const writer = mockAgent({
  name: 'writer',
  input: z.object({ topic: z.string() }),
  output: z.object({ draft: z.string() }),
  text: ({ topic }) => `About ${topic}`,
  result: ({ topic }) => ({ draft: `draft:${topic}` }),
})

const article = defineWorkflow({
  name: 'article',
  input: z.object({ topic: z.string().min(1) }),
  agents: { writer },
  run: async function* ({ input, agents }) {
    const { draft } = yield* agents.writer({ topic: input.topic })
    const decision = yield* approve({ title: 'Publish?' })
    return decision.approved ? succeed({ article: draft }) : fail('Rejected by the reviewer')
  },
})

async function collect(stream: WorkflowEventStream): Promise<IndexedEvent[]> {
  const events: IndexedEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

function approvalIdIn(events: IndexedEvent[]): string {
  const requested = events.find(({ event }) => event.type === 'CUSTOM' && event.name === 'approval-requested')
  if (requested?.event.type !== 'CUSTOM') throw new Error('no approval-requested event')
  return (requested.event.value as { approvalId: string }).approvalId
}

describe('runWorkflow', () => {
  it('is an AsyncIterable of indexed events: start, then approve, continuing the indices', async () => {
    const runStore = inMemoryRunStore()
    const started = runWorkflow({ workflow: article, runStore, input: { topic: 'owls' } })
    const first: IndexedEvent[] = []
    for await (const event of started) {
      first.push(event)
      // Known inside the loop: the request was applied before the first event.
      expect(started.runId).toBeDefined()
    }
    const runId = started.runId!
    expect(await started.ready).toEqual({ runId, tailIndex: expect.any(Number) })
    expect(first.map(({ index }) => index)).toEqual(first.map((_, position) => position))
    expect(first[0]!.event).toMatchObject({ type: 'RUN_STARTED', runId })
    expect(types(first).slice(-2)).toEqual(['CUSTOM:approval-requested', 'RUN_FINISHED'])

    const second = await collect(runWorkflow({ workflow: article, runStore, runId, approval: { approvalId: approvalIdIn(first), approved: false } }))
    expect(second[0]!.index).toBe(first.at(-1)!.index + 1)
    expect(second.at(-1)!.event).toMatchObject({
      type: 'RUN_FINISHED',
      result: { ok: false, reason: 'Rejected by the reviewer' },
      outcome: { type: 'success' },
    })

    const replayed = await collect(runWorkflow({ workflow: article, runStore, runId, startIndex: 0 }))
    expect(replayed).toEqual([...first, ...second])
  })

  it('yields events a host may change without changing the run\'s log', async () => {
    const runStore = inMemoryRunStore()
    const started = runWorkflow({ workflow: article, runStore, input: { topic: 'owls' } })
    const first = await collect(started)
    const pristine = structuredClone(first)
    // A host with its own transport shapes what it sends.
    for (const { event } of first) {
      delete (event as { metadata?: unknown }).metadata
      event.timestamp = 0
    }
    const again = await collect(runWorkflow({ workflow: article, runStore, runId: started.runId!, startIndex: 0 }))
    expect(again).toEqual(pristine)
  })

  it('refuses a bad request through ready and through iteration, creating no run', async () => {
    const runStore = inMemoryRunStore()
    const refused = runWorkflow({ workflow: article, runStore, input: { topic: '' } })
    await expect(refused.ready).rejects.toMatchObject({ name: 'WorkflowRequestError', code: 'invalid_input', status: 400 })
    await expect(collect(refused)).rejects.toBeInstanceOf(WorkflowRequestError)
    expect(refused.runId).toBeUndefined()
    expect(runStore.stats().runs).toBe(0)
  })

  it('starts without an input when the workflow takes a missing one, as HTTP does with input: null', async () => {
    const defaulted = defineWorkflow({
      name: 'defaulted',
      input: z.object({ topic: z.string() }).default({ topic: 'owls' }),
      run: async function* ({ input }) {
        return input.topic
      },
    })
    const events = await collect(runWorkflow({ workflow: defaulted, runStore: inMemoryRunStore() }))
    expect(events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'owls' })
    // A plain JS caller who leaves out a needed input hears about the input, not about a missing action.
    const refused = runWorkflow({ workflow: article, runStore: inMemoryRunStore() } as never)
    await expect(refused.ready).rejects.toMatchObject({ code: 'invalid_input' })
  })

  it('a refused request nobody reads is not an unhandled rejection', async () => {
    // Vitest fails the run on an unhandled rejection, so surviving a few turns of the event loop is the assertion.
    runWorkflow({ workflow: article, runStore: inMemoryRunStore(), runId: 'missing', startIndex: 0 })
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve))
  })

  it('applies the request even if the events are never read, and subscribes to nothing until read', async () => {
    const runStore = inMemoryRunStore()
    const unread = runWorkflow({ workflow: article, runStore, input: { topic: 'bees' } })
    const { runId } = await unread.ready
    await waitForStatus(runStore, runId, 'paused')
    expect(runStore.stats().subscribers).toBe(0)
    // Reading later misses nothing: the log has absolute indices.
    expect((await collect(unread))[0]).toMatchObject({ index: 0, event: { type: 'RUN_STARTED' } })
  })

  it('breaking out of the loop releases the subscription and the run goes on', async () => {
    const { workflow, release } = heldWorkflow('held-run')
    const runStore = inMemoryRunStore()
    const stream = runWorkflow({ workflow, runStore, input: null })
    for await (const { event } of stream) {
      if (event.type === 'STEP_STARTED') break
    }
    expect(runStore.stats().subscribers).toBe(0)
    release()
    await waitForStatus(runStore, stream.runId!, 'finished')
    expect((await runStore.read(stream.runId!, 0)).at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'released' })
  })

  it('close() before reading ends the stream without subscribing', async () => {
    const runStore = inMemoryRunStore()
    const stream = runWorkflow({ workflow: article, runStore, input: { topic: 'cats' } })
    stream.close()
    expect(await collect(stream)).toEqual([])
    await stream.ready
    expect(runStore.stats().subscribers).toBe(0)
  })

  it('an abort yields no events and appends RUN_ERROR aborted', async () => {
    const runStore = inMemoryRunStore()
    const started = runWorkflow({ workflow: article, runStore, input: { topic: 'x' } })
    await collect(started)
    const aborted = runWorkflow({ workflow: article, runStore, runId: started.runId!, abort: true })
    expect(await collect(aborted)).toEqual([])
    expect(await aborted.ready).toMatchObject({ runId: started.runId })
    await waitUntil(async () => (await runStore.read(started.runId!, 0)).at(-1)?.event.type === 'RUN_ERROR', 'the abort')
    expect((await runStore.read(started.runId!, 0)).at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'aborted' })
  })
})
