/**
 * A run deleted by another process, then started again under the same id
 * (a client that picks its own run ids): two "processes" in this one, each a
 * store on its own Redis connections behind its own handler on loopback HTTP.
 * A's responses that were streaming the old run must end with the old run's
 * events only; whoever reads the new run gets it from index 0.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { IndexedEvent } from '@stepstream/protocol'
import { approve, createWorkflowHandler, defineAgent, defineWorkflow, toNodeListener } from '@stepstream/server'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RedisRunStore } from '@stepstream/redis'
import { readSse, resume, type SseRead } from './cluster/sse.js'
import { backends, eventually, uniquePrefix, type Backend } from './helpers.js'

interface TalkInput {
  text: string
  /** After its text the agent waits until the test ends: the run stays running. */
  hold?: boolean
  /** Or, after its text, the run pauses on an approval. */
  ask?: boolean
}

// A gate per test, opened when it ends.
let release: () => void = () => {}
let held: Promise<void> = Promise.resolve()
beforeEach(() => {
  held = new Promise<void>((resolve) => {
    release = resolve
  })
})

const talker = defineAgent({
  name: 'talker',
  run: ({ input }: { input: TalkInput }) => ({
    stream: (async function* () {
      for (const word of input.text.split(' ')) {
        yield `${word} `
        await new Promise((resolve) => setImmediate(resolve))
      }
      if (input.hold) await held
    })(),
    output: Promise.resolve({ said: input.text }),
  }),
})

const talk = defineWorkflow({
  name: 'talk',
  agents: { talker },
  run: async function* ({ input, agents }) {
    const said = yield* agents.talker(input as TalkInput)
    if ((input as TalkInput).ask) yield* approve({ title: 'More?' })
    return said
  },
})

const servers: Server[] = []
const stores: RedisRunStore[] = []
afterEach(async () => {
  release()
  await Promise.all(
    servers.splice(0).map((server) => {
      // A response the bug left hanging must not hold the test up.
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    }),
  )
  await Promise.all(stores.splice(0).map((store) => store.close()))
})
afterAll(() => release())

/** A "process": its own store (own connections) and handler, served on loopback. */
async function serverProcessOn(backend: Backend, prefix: string): Promise<{ url: string; store: RedisRunStore }> {
  const store = backend.store({ prefix, leaseTtl: 1_000 })
  stores.push(store)
  const server = createServer(toNodeListener(createWorkflowHandler({ workflow: talk, runStore: store, heartbeatMs: 500 })))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/workflow`, store }
}

function start(url: string, body: { runId: string; input: TalkInput }): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow: 'talk', ...body }) })
}

/** Reads a response to its end, reporting events as they come. */
function follow(response: Response): { events: IndexedEvent[]; done: Promise<SseRead> } {
  const events: IndexedEvent[] = []
  return { events, done: readSse(response, { events }) }
}

const deltas = (events: IndexedEvent[]): string =>
  events.map(({ event }) => (event.type === 'TEXT_MESSAGE_CONTENT' ? String(event.delta) : '')).join('')

/** Resolves with the stream's end, or fails the test if it has not ended by then (a bound, not an assertion on time). */
async function ended(stream: { done: Promise<SseRead> }, timeoutMs = 20_000): Promise<SseRead> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the old run\'s response never ended')), timeoutMs)
  })
  try {
    return await Promise.race([stream.done, bound])
  } finally {
    clearTimeout(timer)
  }
}

describe.each(backends)('a run id reused after another process deleted the run ($name)', (backend) => {
  const serverProcess = (prefix: string) => serverProcessOn(backend, prefix)

  it('ends the old run\'s live responses on A with the old run\'s events only; the new run is read from index 0', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [await serverProcess(prefix), await serverProcess(prefix)]
    const old = follow(await start(a.url, { runId: 'reused', input: { text: 'old old old', hold: true } }))
    await eventually(() => deltas(old.events) === 'old old old ')

    await b.store.deleteRun('reused')
    const fresh = await readSse(await start(b.url, { runId: 'reused', input: { text: Array(20).fill('new').join(' ') } }))
    expect(fresh.events.map((e) => e.index)).toEqual(fresh.events.map((_, i) => i))
    expect(fresh.events.at(-1)!.event.type).toBe('RUN_FINISHED')

    const oldRead = await ended(old)
    expect(deltas(oldRead.events)).not.toContain('new')
    expect(oldRead.events.map((e) => e.index)).toEqual(oldRead.events.map((_, i) => i))
    // A serves the new run from its start, to a new reader.
    expect((await resume(a.url, 'reused', 0)).events).toEqual(fresh.events)
    await eventually(() => a.store.subscriberCount() === 0)
  })

  it('ends them too when the new run stays shorter than what they had read (nothing new past their cursor)', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [await serverProcess(prefix), await serverProcess(prefix)]
    const long = Array(12).fill('old').join(' ')
    const old = follow(await start(a.url, { runId: 'short', input: { text: long, hold: true } }))
    await eventually(() => deltas(old.events) === `${long} `)

    await b.store.deleteRun('short')
    const fresh = await readSse(await start(b.url, { runId: 'short', input: { text: 'new', ask: true } }))
    expect(fresh.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
    expect(fresh.events.length).toBeLessThan(old.events.length)

    const oldRead = await ended(old)
    expect(deltas(oldRead.events)).toBe(`${long} `)
    expect((await resume(a.url, 'short', 0)).events).toEqual(fresh.events)
    await eventually(() => a.store.subscriberCount() === 0)
  })

  it('runs the new run normally when it is started on A, which still executed the old one and streamed it', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [await serverProcess(prefix), await serverProcess(prefix)]
    const old = follow(await start(a.url, { runId: 'again', input: { text: 'old old old', hold: true } }))
    await eventually(() => deltas(old.events) === 'old old old ')

    await b.store.deleteRun('again')
    const words = Array(20).fill('new').join(' ')
    const fresh = await readSse(await start(a.url, { runId: 'again', input: { text: words } }))
    expect(fresh.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { said: words } })
    expect(deltas(fresh.events)).toBe(`${words} `)
    expect((await resume(b.url, 'again', 0)).events).toEqual(fresh.events)

    const oldRead = await ended(old)
    expect(deltas(oldRead.events)).toBe('old old old ')
  })
})
