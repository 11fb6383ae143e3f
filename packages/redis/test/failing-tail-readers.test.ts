/**
 * A response following a run over a live tail whose reads keep failing (the
 * deletions stream it reads is not a stream: every XREAD answers WRONGTYPE,
 * as an ACL refusal or a node that keeps refusing would). The run itself goes
 * on: its executor writes to Redis fine. The tail refused new subscribers
 * after a few failed reads, but the response already following it kept
 * sending heartbeats for events it would never get, so the client stayed
 * `running` for good. Now the store tells its subscribers it can no longer
 * follow the run, and the response ends without a terminal event: the
 * client resumes from its cursor (PROTOCOL §5), and reaches the run's end.
 * `runWorkflow`'s iterator throws the store's error instead of waiting.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import type { IndexedEvent } from '@stepstream/protocol'
import { createWorkflowHandler, defineAgent, defineWorkflow, runWorkflow, toNodeListener } from '@stepstream/server'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { LiveTailUnavailableError, type RedisRunStore } from '@stepstream/redis'
import { backends, eventually, laneDeletionsKey, rawClient, record, testStore, uniquePrefix } from './helpers.js'
import { within } from '../../../test/fixtures/within.js'

/** A gate the test opens: the agent's second half waits for it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

function gatedWorkflow(halfway: Promise<void>) {
  const writer = defineAgent({
    name: 'writer',
    run: () => ({
      stream: (async function* () {
        yield 'one '
        yield 'two '
        await halfway
        yield 'three'
      })(),
      output: Promise.resolve({ done: true }),
    }),
  })
  return defineWorkflow({
    name: 'gated',
    agents: { writer },
    run: async function* ({ agents }) {
      const written = yield* agents.writer(null)
      return written.done
    },
  })
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe('readers of a live tail whose reads keep failing', () => {
  const raw = rawClient()
  afterAll(async () => {
    await raw.quit()
  })

  /** A store under a prefix of its own, whose live tail fails every read from the first (the deletions stream it reads is the prefix's own). */
  async function failingStore(): Promise<RedisRunStore> {
    const prefix = uniquePrefix()
    const store = testStore({ prefix, leaseTtl: 60_000 })
    closers.push(() => store.close())
    await raw.set(laneDeletionsKey('single node', prefix, 'any'), 'not a stream')
    return store
  }

  it('ends a response that follows the run, and the client resumes to the run’s real end, each event once', async () => {
    const store = await failingStore()
    const halfway = gate()
    const requests: string[] = []
    // A resume that comes while the tail still refuses new subscribers is answered 500, and tried again.
    const failures: unknown[] = []
    const handler = createWorkflowHandler({ workflow: gatedWorkflow(halfway.opened), runStore: store, heartbeatMs: 200, onError: (error) => failures.push(error) })
    const http: Server = createServer(toNodeListener(handler))
    closers.push(() => new Promise((resolve) => http.close(() => resolve())))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/workflow`

    const indices: number[] = []
    const client = new WorkflowClient({
      connection: fetchWorkflowEvents(url, {
        fetchClient: (target, init) => {
          requests.push(init.method === 'GET' ? `resume ${new URL(target).searchParams.get('startIndex')}` : 'start')
          return fetch(target, init)
        },
      }),
      // Each resume on this process waits for its tail to fail again (a few hundred ms up to some seconds).
      reconnect: { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 200 },
      onEvent: (_event, index) => indices.push(index),
    })
    closers.push(async () => client.dispose())
    const finished = client.start(null)

    // The first response cannot follow the run: it ends, and the client resumes.
    await eventually(() => requests.some((request) => request.startsWith('resume')))
    halfway.open()
    const state = await within(finished, 30_000, 'the client to reach the run’s end')

    expect(state.status).toBe('finished')
    expect(state.output).toBe(true)
    const log = await store.read(state.runId!, 0)
    expect(log.at(-1)!.event.type).toBe('RUN_FINISHED')
    // Every event of the log, once, in order, though it came over several responses.
    expect(indices).toEqual(log.map((event) => event.index))
    for (const failure of failures) expect(failure).toBeInstanceOf(LiveTailUnavailableError)
  })

  it('makes runWorkflow’s iterator throw the store’s error instead of waiting for good', async () => {
    const store = await failingStore()
    const halfway = gate()
    closers.push(async () => halfway.open())
    const stream = runWorkflow({ workflow: gatedWorkflow(halfway.opened), runStore: store, input: null })
    const read: IndexedEvent[] = []
    const reading = (async () => {
      for await (const event of stream) read.push(event)
    })()

    const failure = await within(
      reading.then(
        () => 'ended without an error',
        (error: unknown) => error,
      ),
      30_000,
      'the iterator to end',
    )
    expect(failure).toBeInstanceOf(LiveTailUnavailableError)
    expect(String((failure as Error).cause)).toMatch(/WRONGTYPE/)
    // What it gave before is the log's beginning, each event once.
    expect(read.map((event) => event.index)).toEqual(read.map((_, position) => position))
  })
})

describe.each(backends)('subscriptions of a live tail whose reads keep failing ($name)', (backend) => {
  it('are told once with LiveTailUnavailableError and end, when they can hear of it; the others stay and get every event once mended', async () => {
    const prefix = uniquePrefix()
    const store = backend.store({ prefix, leaseTtl: 60_000 })
    const raw = backend.rawClient()
    closers.push(() => store.close(), async () => void (await raw.quit().catch(() => {})))
    await store.createRun(record('r'))
    const deletionsKey = laneDeletionsKey(backend.name, prefix, 'r')
    await raw.set(deletionsKey, 'not a stream')

    const told: unknown[] = []
    const heardByTold: IndexedEvent[] = []
    const unsubscribeTold = await store.subscribe('r', (event) => heardByTold.push(event), { onFailure: (error) => told.push(error) })
    const kept: IndexedEvent[] = []
    await store.subscribe('r', (event) => kept.push(event))

    await eventually(() => told.length > 0)
    expect(told).toHaveLength(1)
    expect(told[0]).toBeInstanceOf(LiveTailUnavailableError)
    expect(String((told[0] as Error).cause)).toMatch(/WRONGTYPE/)
    expect(store.subscriberCount()).toBe(1)
    // Ended already: unsubscribing it again does nothing to the one kept.
    unsubscribeTold()
    expect(store.subscriberCount()).toBe(1)

    await raw.del(deletionsKey)
    await store.append('r', { type: 'CUSTOM', name: 'n', value: 1, timestamp: 1 })
    await eventually(() => kept.length > 0)
    expect(kept.map((event) => event.index)).toEqual([0])
    expect(heardByTold).toEqual([])
    expect(told).toHaveLength(1)
  })
})
