/**
 * What fault-injection.test.ts cannot reach against a correct server, whose
 * resumes send exactly the events after the cursor, with a retry budget
 * larger than its cuts:
 * - the server answers a resume with exactly the events from `startIndex`,
 *   byte for byte on the wire (the client's cursor would hide an overlap);
 * - a resume that replays more than asked (a proxy or server that rounds the
 *   cursor down, an off-by-one Last-Event-ID) still applies every event, so
 *   every token, exactly once (PROTOCOL §5, the cursor);
 * - a run cut again and again within a budget of one retry still finishes,
 *   since every attempt that delivers events resets the budget, while
 *   attempts that deliver nothing spend it;
 * - an action re-sent because its answer was cut inside the headers is an
 *   idempotent retry (PROTOCOL §4): one run, no refusal, even though the
 *   client would recover from a 409 by following the run and hide it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient, type ReconnectOptions, type WorkflowError } from '@stepstream/client'
import { approvalServer, startThenApprove } from './support/approval-server.js'
import { approvalInput } from './support/approval-workflow.js'
import { recordExchange, type RecordedExchange } from './support/sse-boundaries.js'
import type { CutPoint, CuttingProxy } from './support/tcp-proxy.js'
import type { visible } from './support/visible.js'

const { store, withProxy } = approvalServer()

const fast: ReconnectOptions = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 4 }

interface Request {
  method: string
  /** The startIndex the client asked for (GET resume). */
  asked?: number
  /** The startIndex the server was sent (differs when the request was rewritten). */
  sent?: number
}

interface Options {
  reconnect?: ReconnectOptions
  /** Rewrites a resume's startIndex before it leaves (Last-Event-ID is dropped, so the query is what the server reads). */
  rewriteStartIndex?: (asked: number) => number
}


function clientThrough(proxy: CuttingProxy, options: Options = {}) {
  const requests: Request[] = []
  const errors: WorkflowError[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents(proxy.url, {
      fetchClient: (url, init) => {
        if (init.method !== 'GET') {
          requests.push({ method: String(init.method) })
          return fetch(url, init)
        }
        const target = new URL(url)
        const asked = Number(target.searchParams.get('startIndex'))
        if (!options.rewriteStartIndex) {
          requests.push({ method: 'GET', asked, sent: asked })
          return fetch(url, init)
        }
        const sent = options.rewriteStartIndex(asked)
        target.searchParams.set('startIndex', String(sent))
        const headers = new Headers(init.headers)
        headers.delete('last-event-id')
        requests.push({ method: 'GET', asked, sent })
        return fetch(target, { ...init, headers })
      },
    }),
    input: approvalInput,
    reconnect: options.reconnect ?? fast,
    onError: (error) => void errors.push(error),
  })
  return { client, requests, errors }
}

/** start → approve through the proxy, arming its cuts before each phase. */
async function runThrough(proxy: CuttingProxy, cuts: { start: CutPoint[]; approve: CutPoint[] }, options?: Options) {
  const { client, requests, errors } = clientThrough(proxy, options)
  return { ...(await startThenApprove(client, proxy, cuts)), requests, errors }
}

/** The `id:` of the first frame of a recorded response's body, if any. */
function firstId(exchange: Uint8Array | undefined): number | undefined {
  if (!exchange) return undefined
  const text = Buffer.from(exchange).toString('latin1')
  const body = text.slice(text.indexOf('\r\n\r\n') + 4)
  const match = /^id: (\d+)$/m.exec(body)
  return match ? Number(match[1]) : undefined
}

let reference: { paused: ReturnType<typeof visible>; finished: ReturnType<typeof visible> }
let startExchange: RecordedExchange
let approveExchange: RecordedExchange
/** A body offset past the longest frame plus its chunk framing: a resume cut there has delivered at least one event. */
let pastOneFrame: number

beforeAll(async () => {
  await withProxy(async (proxy) => {
    const outcome = await runThrough(proxy, { start: [], approve: [] })
    reference = { paused: outcome.paused, finished: outcome.finished }
    startExchange = recordExchange(proxy.exchanges[0]!)
    approveExchange = recordExchange(proxy.exchanges[1]!)
  })
  const longest = (ends: number[]) => Math.max(...ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]!)))
  pastOneFrame = Math.max(longest(startExchange.frameEnds), longest(approveExchange.frameEnds)) + 16
  expect(reference.paused.status).toBe('paused')
  expect(reference.finished.status).toBe('finished')
})

describe('a resume answered by our server', () => {
  it('starts at exactly the startIndex asked for, on the wire', async () => {
    await withProxy(async (proxy) => {
      const cut = (offset: number): CutPoint => ({ from: 'body', offset })
      const outcome = await runThrough(proxy, {
        start: [cut(startExchange.frameEnds[3]! + 1), cut(pastOneFrame)],
        approve: [cut(approveExchange.frameEnds[2]! + 1), cut(pastOneFrame)],
      })
      expect(proxy.cutsDone).toBe(4)
      const resumes = outcome.requests.flatMap((request, i) => (request.method === 'GET' ? [{ asked: request.asked, first: firstId(proxy.exchanges[i]) }] : []))
      expect(resumes.length).toBeGreaterThanOrEqual(4)
      for (const { asked, first } of resumes) expect(first).toBe(asked)
      expect(outcome.paused).toEqual(reference.paused)
      expect(outcome.finished).toEqual(reference.finished)
    })
  })
})

describe('a resume that replays more than asked', () => {
  it.each([1, 5, 1_000])('every event and token applied once when each resume goes back %i events', async (back) => {
    await withProxy(async (proxy) => {
      const cut = (offset: number): CutPoint => ({ from: 'body', offset })
      const outcome = await runThrough(
        proxy,
        {
          // Mid-token in the writer's stream, then again in the replay; mid-stream in the publisher's.
          start: [cut(startExchange.frameEnds[12]! - 3), cut(pastOneFrame * 2)],
          approve: [cut(approveExchange.frameEnds[8]! - 3), cut(pastOneFrame * 2)],
        },
        { rewriteStartIndex: (asked) => Math.max(0, asked - back) },
      )
      expect(proxy.cutsDone).toBe(4)
      // The overlap happened: the server was asked for events the client had applied.
      const overlapping = outcome.requests.filter((request) => request.method === 'GET' && request.sent! < request.asked!)
      expect(overlapping.length).toBeGreaterThanOrEqual(4)
      // Same text, steps, state and cursor as the uncut run: nothing applied twice.
      expect(outcome.paused).toEqual(reference.paused)
      expect(outcome.finished).toEqual(reference.finished)
    })
  })
})

describe('the retry budget under repeated cuts', () => {
  const one: ReconnectOptions = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 4 }

  it('resets on every attempt that delivers events: a budget of one retry outlasts many cuts', async () => {
    await withProxy(async (proxy) => {
      const cut = (offset: number): CutPoint => ({ from: 'body', offset })
      const outcome = await runThrough(
        proxy,
        {
          start: [cut(startExchange.frameEnds[2]! + 1), cut(pastOneFrame), cut(pastOneFrame), cut(pastOneFrame)],
          approve: [cut(approveExchange.frameEnds[2]! + 1), cut(pastOneFrame), cut(pastOneFrame)],
        },
        { reconnect: one },
      )
      expect(proxy.cutsDone).toBe(7)
      expect(outcome.paused).toEqual(reference.paused)
      expect(outcome.finished).toEqual(reference.finished)
    })
  })

  it('is spent by attempts that deliver nothing: connection_lost, never a stuck running', async () => {
    await withProxy(async (proxy) => {
      const { client, requests } = clientThrough(proxy, { reconnect: one })
      try {
        // The first answer is cut after a few events, its one retry inside the headers.
        proxy.arm([{ from: 'body', offset: startExchange.frameEnds[2]! + 1 }, { from: 'head', offset: 0 }])
        const state = await client.start({ topic: 'Rivers' })
        expect(proxy.cutsDone).toBe(2)
        expect(requests.map((request) => request.method)).toEqual(['POST', 'GET'])
        expect(state).toMatchObject({ status: 'error', connection: 'closed', error: { code: 'connection_lost' } })
      } finally {
        client.dispose()
      }
    })
  })
})

describe('an action re-sent after a cut inside its answer\'s headers', () => {
  /** In the status line, and in the headers (before the run id and tail index arrive, or among them). */
  const headOffsets = (exchange: RecordedExchange) => [0, 9, Math.floor(exchange.headLength / 2), exchange.headLength - 1]

  it('a start: one run, served as the same start, nothing refused', async () => {
    for (const offset of headOffsets(startExchange)) {
      await withProxy(async (proxy) => {
        const runsBefore = store.stats().runs
        const outcome = await runThrough(proxy, { start: [{ from: 'head', offset }], approve: [] })
        expect(proxy.cutsDone, `cut at head byte ${offset}`).toBe(1)
        // The first start reached the server (it answered); the re-sent one must not make a second run.
        expect(store.stats().runs - runsBefore, `cut at head byte ${offset}`).toBe(1)
        expect(outcome.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'POST'])
        expect(outcome.errors).toEqual([])
        expect(outcome.paused).toEqual(reference.paused)
        expect(outcome.finished).toEqual(reference.finished)
      })
    }
  })

  it('an approval: served as a retry of the same decision, not refused', async () => {
    for (const offset of headOffsets(approveExchange)) {
      await withProxy(async (proxy) => {
        const outcome = await runThrough(proxy, { start: [], approve: [{ from: 'head', offset }] })
        expect(proxy.cutsDone, `cut at head byte ${offset}`).toBe(1)
        // start, approve (cut), approve again: no 409 followed by a resume.
        expect(outcome.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'POST'])
        expect(outcome.errors).toEqual([])
        expect(outcome.finished).toEqual(reference.finished)
      })
    }
  })
})
