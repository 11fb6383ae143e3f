/**
 * Real HTTP on 127.0.0.1 through toNodeListener: concurrency, disconnects,
 * and request bodies arriving as Node streams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { IndexedEvent } from '@stepstream/protocol'
import { approve, createWorkflowHandler, defineWorkflow, inMemoryRunStore, mockAgent } from '@stepstream/server'
import { approvalIdOf, heldWorkflow, listen, readSse, types, waitForStatus, waitUntil } from './helpers.js'

const writer = mockAgent({
  name: 'writer',
  input: z.object({ n: z.number() }),
  text: ({ n }) => `draft number ${n} is here`,
  result: ({ n }) => ({ draft: n }),
})
const counted = defineWorkflow({
  name: 'counted',
  input: z.object({ n: z.number() }),
  initialize: ({ n }) => ({ n, approved: false }),
  agents: { writer },
  run: async function* ({ input, state, agents }) {
    const { draft } = yield* agents.writer({ n: input.n })
    const decision = yield* approve({ title: `Approve ${input.n}?` })
    state.approved = decision.approved
    return { n: draft }
  },
})
const { workflow: holding, release: releaseHeld } = heldWorkflow('holding')

const store = inMemoryRunStore()
let served: Awaited<ReturnType<typeof listen>>

beforeAll(async () => {
  served = await listen(createWorkflowHandler({ workflows: { counted, holding }, runStore: store, maxBodyBytes: 2048 }))
})
afterAll(async () => {
  releaseHeld()
  await served.close()
})

function postJson(body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) })
}

function expectContiguous(events: IndexedEvent[], from = 0): void {
  expect(events.map(({ index }) => index)).toEqual(events.map((_, position) => from + position))
}

describe('real HTTP', () => {
  it('runs 200 concurrent runs to correct, contiguous logs', async () => {
    const count = 200
    const started = await Promise.all(
      Array.from({ length: count }, async (_, n) => readSse(await postJson({ workflow: 'counted', input: { n } }))),
    )
    const finished = await Promise.all(
      started.map(async (first) => {
        const runId = first.headers.get('x-workflow-run-id')!
        const second = await readSse(await postJson({ runId, approval: { approvalId: approvalIdOf(first), approved: true } }))
        return { runId, first, second }
      }),
    )
    expect(new Set(finished.map(({ runId }) => runId)).size).toBe(count)
    for (const [n, { runId, first, second }] of finished.entries()) {
      const events = [...first.events, ...second.events]
      expectContiguous(events)
      expect(await store.read(runId, 0)).toEqual(events)
      expect(events.every(({ event }) => !('runId' in event) || event.runId === runId)).toBe(true)
      const text = events.flatMap(({ event }) => (event.type === 'TEXT_MESSAGE_CONTENT' ? [event.delta] : [])).join('')
      expect(text).toBe(`draft number ${n} is here`)
      expect(events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { n } })
      expect(types(events).filter((type) => type === 'RUN_STARTED')).toHaveLength(2)
    }
    expect(store.stats().subscribers).toBe(0)
  }, 60_000)

  it('holds no subscriber after 1,000 connect-then-disconnect cycles, and the run goes on', async () => {
    const start = await postJson({ workflow: 'holding', input: null })
    const runId = start.headers.get('x-workflow-run-id')!
    await start.body!.cancel()

    const cycles = 1_000
    const batch = 50
    for (let done = 0; done < cycles; done += batch) {
      await Promise.all(
        Array.from({ length: batch }, async (_, offset) => {
          const controller = new AbortController()
          const useGet = (done + offset) % 2 === 0
          const response = useGet
            ? await fetch(`${served.url}?runId=${runId}&startIndex=0`, { signal: controller.signal })
            : await postJson({ runId, startIndex: 0 }, controller.signal)
          expect(response.status).toBe(200)
          controller.abort()
          await response.body?.cancel().catch(() => {})
        }),
      )
    }
    await waitUntil(() => store.stats().subscribers === 0, 'every subscription to be released')
    expect((await store.getRun(runId))!.status).toBe('running')

    releaseHeld()
    await waitForStatus(store, runId, 'finished')
    const replay = await readSse(await fetch(`${served.url}?runId=${runId}&startIndex=0`))
    expect(replay.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'released' })
    expectContiguous(replay.events)
    expect(store.stats().subscribers).toBe(0)
  }, 60_000)

  it('resumes with Last-Event-ID over the wire', async () => {
    const first = await readSse(await postJson({ workflow: 'counted', input: { n: 7 } }))
    const runId = first.headers.get('x-workflow-run-id')!
    const resumed = await readSse(await fetch(`${served.url}?runId=${runId}`, { headers: { 'last-event-id': '3' } }))
    expect(resumed.events).toEqual(first.events.slice(4))
  })

  it('refuses oversized streamed bodies and non-JSON bodies over the wire', async () => {
    const big = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let chunk = 0; chunk < 10; chunk += 1) controller.enqueue(new TextEncoder().encode(' '.repeat(1024)))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } })
    const text = await fetch(served.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })
    expect(text.status).toBe(415)
  })
})
