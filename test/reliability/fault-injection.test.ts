/**
 * Fault injection: a loopback TCP proxy between WorkflowClient (the real
 * global fetch) and the reference server ends the connection after exactly N
 * response bytes. Whatever N is, the client's final state equals that of an
 * uncut run, and every event (so every token) is applied exactly once.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient, type WireEvent } from '@stepstream/client'
import { approvalServer, startThenApprove } from './support/approval-server.js'
import { approvalInput } from './support/approval-workflow.js'
import { bodyCutOffsets, recordExchange, type RecordedExchange } from './support/sse-boundaries.js'
import type { CutPoint, CuttingProxy } from './support/tcp-proxy.js'
import type { visible } from './support/visible.js'

const { withProxy } = approvalServer()

interface Outcome {
  paused: ReturnType<typeof visible>
  finished: ReturnType<typeof visible>
  /** Indices of applied events, in order. */
  indices: number[]
  /** Every applied text delta, in order. */
  tokens: string[]
  requests: string[]
}

/** Runs start → approve through the proxy, arming its cuts before each phase. */
async function runThrough(proxy: CuttingProxy, cuts: { start: CutPoint[]; approve: CutPoint[] }): Promise<Outcome> {
  const indices: number[] = []
  const tokens: string[] = []
  const requests: string[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents(proxy.url, {
      fetchClient: (url, init) => {
        requests.push(init.method === 'GET' ? `GET ${new URL(url).searchParams.get('startIndex')}` : 'POST')
        return fetch(url, init)
      },
    }),
    input: approvalInput,
    // Fast retries: the proxy cuts instantly, there is nothing to wait for.
    reconnect: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 4 },
    onEvent: (event: WireEvent, index) => {
      indices.push(index)
      if (event.type === 'TEXT_MESSAGE_CONTENT') tokens.push(String(event.delta))
    },
  })
  return { ...(await startThenApprove(client, proxy, cuts)), indices, tokens, requests }
}


let reference: Outcome
let startExchange: RecordedExchange
let approveExchange: RecordedExchange

beforeAll(async () => {
  const recordings = await Promise.all(
    [0, 1].map(() =>
      withProxy(async (proxy) => {
        const outcome = await runThrough(proxy, { start: [], approve: [] })
        return { outcome, start: recordExchange(proxy.exchanges[0]!), approve: recordExchange(proxy.exchanges[1]!) }
      }),
    ),
  )
  reference = recordings[0]!.outcome
  startExchange = recordings[0]!.start
  approveExchange = recordings[0]!.approve
  // Offsets from one recording mean the same bytes in every run only if frame lengths are reproducible.
  expect(recordings[1]!.start.frameEnds).toEqual(startExchange.frameEnds)
  expect(recordings[1]!.approve.frameEnds).toEqual(approveExchange.frameEnds)
})

function expectSameAsReference(outcome: Outcome): void {
  expect(outcome.paused).toEqual(reference.paused)
  expect(outcome.finished).toEqual(reference.finished)
  // Exactly once: every index from 0 to the end, in order, none twice.
  expect(outcome.indices).toEqual(reference.indices)
  expect(outcome.tokens).toEqual(reference.tokens)
}

describe('the uncut reference run', () => {
  it('streams both segments in one request each and ends finished', () => {
    expect(reference.requests).toEqual(['POST', 'POST'])
    expect(reference.paused.status).toBe('paused')
    expect(reference.finished.status).toBe('finished')
    expect(reference.indices).toEqual(reference.indices.map((_, i) => i))
    // Enough frames for the sweep to mean something.
    expect(startExchange.frameEnds.length).toBeGreaterThan(25)
    expect(approveExchange.frameEnds.length).toBeGreaterThan(15)
    expect(reference.finished.steps.map((step) => step.text).join('')).toBe(reference.tokens.join(''))
  })
})

describe.each([
  ['start', () => startExchange],
  ['approve', () => approveExchange],
] as const)('a cut in the %s segment', (phase, exchange) => {
  it('at and between every frame boundary of the body', async () => {
    const offsets = bodyCutOffsets(exchange())
    expect(offsets.length).toBeGreaterThan(4 * exchange().frameEnds.length)
    for (const offset of offsets) {
      const cut: CutPoint = { from: 'body', offset }
      await withProxy(async (proxy) => {
        const outcome = await runThrough(proxy, phase === 'start' ? { start: [cut], approve: [] } : { start: [], approve: [cut] })
        expect(proxy.cutsDone, `cut at body byte ${offset}`).toBe(1)
        // A cut before the terminal frame is complete forced at least one more
        // request; one after it cut a connection that was complete already (PROTOCOL §5).
        if (offset < exchange().frameEnds.at(-1)!) expect(outcome.requests.length, `cut at body byte ${offset}`).toBeGreaterThan(2)
        else expect(outcome.requests.length, `cut at body byte ${offset}`).toBe(2)
        expectSameAsReference(outcome)
      })
    }
  })

  it('inside the status line and headers (the action is re-sent and replayed)', async () => {
    const { headLength } = exchange()
    for (const offset of [0, 1, 9, Math.floor(headLength / 2), headLength - 2, headLength - 1]) {
      const cut: CutPoint = { from: 'head', offset }
      await withProxy(async (proxy) => {
        const outcome = await runThrough(proxy, phase === 'start' ? { start: [cut], approve: [] } : { start: [], approve: [cut] })
        expect(proxy.cutsDone, `cut at head byte ${offset}`).toBe(1)
        expectSameAsReference(outcome)
      })
    }
  })
})

describe('several random cuts per run (seeded)', () => {
  it('every phase cut several times, resumes cut again', async () => {
    const cutsFor = (exchange: () => RecordedExchange) =>
      fc.array(
        fc.nat({ max: exchange().bodyLength - 1 }).map((offset): CutPoint => ({ from: 'body', offset })),
        { minLength: 1, maxLength: 5 },
      )
    await fc.assert(
      fc.asyncProperty(cutsFor(() => startExchange), cutsFor(() => approveExchange), async (start, approve) => {
        await withProxy(async (proxy) => {
          const outcome = await runThrough(proxy, { start, approve })
          // The first cut of each phase falls inside its first response.
          expect(proxy.cutsDone).toBeGreaterThanOrEqual(2)
          expectSameAsReference(outcome)
        })
      }),
      { seed: 20_251, numRuns: 40 },
    )
  })
})
