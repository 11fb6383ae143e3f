/**
 * The client's fault injection (test/reliability) with the Redis store
 * behind two server processes: WorkflowClient's requests alternate between
 * process A and process B, each through a loopback TCP proxy that can end a
 * connection after exactly N response bytes. A resume after a cut therefore
 * lands on the other process, which serves it from the shared log. Whatever
 * the cut, the client ends in the same state as an uncut run, every event is
 * applied exactly once, and every agent ran once per run.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient, type WireEvent } from '@stepstream/client'
import { bodyCutOffsets, recordExchange, type RecordedExchange } from '../../../test/reliability/support/sse-boundaries.js'
import { startCuttingProxy, type CutPoint, type CuttingProxy } from '../../../test/reliability/support/tcp-proxy.js'
import { visible } from '../../../test/reliability/support/visible.js'
import { startServerProcess, stopAll, type ServerProcess } from './cluster/cluster.js'
import { rawClient, redisUrl, uniquePrefix } from './helpers.js'

const prefix = uniquePrefix()
const redis = rawClient()
let a: ServerProcess
let b: ServerProcess
beforeAll(async () => {
  ;[a, b] = await Promise.all([startServerProcess({ redisUrl: redisUrl(), prefix }), startServerProcess({ redisUrl: redisUrl(), prefix })])
})
afterAll(async () => {
  await stopAll([a, b])
  await redis.quit()
})

interface Outcome {
  paused: ReturnType<typeof visible>
  finished: ReturnType<typeof visible>
  indices: number[]
  tokens: string[]
  /** Which process served each request, in order. */
  route: string[]
}

/** Runs start → approve; request k goes to A when k is even, B when odd, each through its proxy. */
async function runThrough(proxies: [CuttingProxy, CuttingProxy], cuts: { start: CutPoint[]; approve: CutPoint[] }): Promise<Outcome> {
  const indices: number[] = []
  const tokens: string[] = []
  const route: string[] = []
  let pending: CutPoint[] = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('http://unused/api/workflow', {
      body: { workflow: 'review' },
      fetchClient: (url, init) => {
        const k = route.length
        const proxy = proxies[k % 2]!
        route.push(`${k % 2 === 0 ? 'A' : 'B'} ${init.method === 'GET' ? `GET ${new URL(url).searchParams.get('startIndex')}` : 'POST'}`)
        // A phase's cuts go to whichever proxies its next requests take.
        const cut = pending.shift()
        if (cut) proxy.arm([cut])
        return fetch(proxy.url + new URL(url).search, init)
      },
    }),
    reconnect: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 4 },
    onEvent: (event: WireEvent, index) => {
      indices.push(index)
      if (event.type === 'TEXT_MESSAGE_CONTENT') tokens.push(String(event.delta))
    },
  })
  try {
    pending = [...cuts.start]
    const paused = visible(await client.start({ topic: 'Rivers' }))
    pending = [...cuts.approve]
    const finished = visible(await client.approve(true))
    return { paused, finished, indices, tokens, route }
  } finally {
    proxies.forEach((proxy) => proxy.disarm())
    client.dispose()
  }
}

async function withProxies<T>(use: (proxies: [CuttingProxy, CuttingProxy]) => Promise<T>): Promise<T> {
  // Fresh proxies per run: fresh origins, so no kept-alive socket carries over.
  const proxies = await Promise.all([startCuttingProxy(a.port), startCuttingProxy(b.port)])
  try {
    return await use(proxies)
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.close()))
  }
}

let reference: Outcome
let startExchange: RecordedExchange
let approveExchange: RecordedExchange
let runs = 0

beforeAll(async () => {
  await withProxies(async ([pa, pb]) => {
    reference = await runThrough([pa, pb], { start: [], approve: [] })
    runs += 1
    startExchange = recordExchange(pa.exchanges[0]!)
    approveExchange = recordExchange(pb.exchanges[0]!)
  })
})

async function expectSameAsReference(cuts: { start: CutPoint[]; approve: CutPoint[] }): Promise<Outcome> {
  const outcome = await withProxies((proxies) => runThrough(proxies, cuts))
  runs += 1
  expect(outcome.paused).toEqual(reference.paused)
  expect(outcome.finished).toEqual(reference.finished)
  // Exactly once: every index from 0 to the end, in order, none twice.
  expect(outcome.indices).toEqual(reference.indices)
  expect(outcome.tokens).toEqual(reference.tokens)
  return outcome
}

describe('fault injection across two processes (Redis store)', () => {
  it('the uncut reference starts on A and approves on B', () => {
    expect(reference.route).toEqual(['A POST', 'B POST'])
    expect(reference.finished.status).toBe('finished')
    expect(reference.indices).toEqual(reference.indices.map((_, i) => i))
    expect(startExchange.frameEnds.length).toBeGreaterThan(20)
  })

  it.each([
    ['start', () => startExchange],
    ['approve', () => approveExchange],
  ] as const)('a cut at every frame boundary of the %s segment; the resume goes to the other process', async (phase, exchange) => {
    // At each boundary and in the middle of each frame (the reliability suite sweeps more offsets in-process).
    const offsets = bodyCutOffsets(exchange()).filter((_, i) => i % 2 === 0)
    let resumed = 0
    for (const offset of offsets) {
      const cut: CutPoint = { from: 'body', offset }
      const outcome = await expectSameAsReference(phase === 'start' ? { start: [cut], approve: [] } : { start: [], approve: [cut] })
      if (outcome.route.length > 2) resumed += 1
    }
    // The cuts did force resumes. Not every one must: the offsets come from the
    // reference run's bytes, and how many frames the server packs into one HTTP
    // chunk varies run to run (it writes what the log holds), so a cut meant for
    // the last frame can land after the terminal event, where nothing is missing.
    expect(resumed, `${resumed} of ${offsets.length} cuts needed a resume`).toBeGreaterThanOrEqual(offsets.length - 3)
  })

  it('inside the status line and headers: the action is re-sent to the other process and served as a retry', async () => {
    for (const phase of ['start', 'approve'] as const) {
      for (const offset of [0, 9, 40]) {
        const cut: CutPoint = { from: 'head', offset }
        await expectSameAsReference(phase === 'start' ? { start: [cut], approve: [] } : { start: [], approve: [cut] })
      }
    }
  })

  it('several random cuts per run (seeded)', async () => {
    const cutsFor = (exchange: () => RecordedExchange) =>
      fc.array(
        fc.nat({ max: exchange().bodyLength - 1 }).map((offset): CutPoint => ({ from: 'body', offset })),
        { minLength: 1, maxLength: 4 },
      )
    await fc.assert(
      fc.asyncProperty(cutsFor(() => startExchange), cutsFor(() => approveExchange), async (start, approve) => {
        await expectSameAsReference({ start, approve })
      }),
      { seed: 20_251, numRuns: 25 },
    )
  })

  it('ran every agent exactly once per run, cuts and retries included', async () => {
    expect(Number(await redis.get(`${prefix}calls:writer`))).toBe(runs)
    expect(Number(await redis.get(`${prefix}calls:publisher`))).toBe(runs)
  })
})
