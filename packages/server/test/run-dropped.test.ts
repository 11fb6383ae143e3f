/**
 * A run the store drops (its ttl runs out, or deleteRun) while a request on
 * it is being served: the request is answered as one on a run that does not
 * exist, 404 run_not_found, never as the server failing (500) or as a stream
 * of nothing. Each drop is placed deterministically by a store that deletes
 * the run just before the nth call of one of its methods. `runWorkflow`
 * answers each case as the HTTP handler does: `run_not_found`, from `ready`
 * or from the first step of reading, whichever meets the drop.
 */
import { describe, expect, it } from 'vitest'
import {
  approve,
  createWorkflowHandler,
  defineWorkflow,
  inMemoryRunStore,
  mockAgent,
  runWorkflow,
  waitForSignal,
  type InMemoryRunStore,
  type RunRecord,
  type RunStore,
  type RunWorkflowOptions,
} from '@stepstream/server'
import { approvalIdOf, post, postRequest, runIdOf, waitUntil } from './helpers.js'

const writer = mockAgent({ name: 'writer', text: 'one two', result: () => 'text' })
const reviewed = defineWorkflow({
  name: 'reviewed',
  agents: { writer },
  run: async function* ({ agents }) {
    yield* agents.writer()
    yield* approve({ title: 'Go on?' })
    return yield* waitForSignal('payment')
  },
})

type StoreMethod = 'setRun' | 'append' | 'lastIndex' | 'subscribe' | 'read' | 'renewLease'

/** `memory` as seen through a store that, once armed, drops the run just before the `nth` call of `method`. */
function droppingAt(memory: InMemoryRunStore, method: StoreMethod, nth: number) {
  let armed = false
  let calls = 0
  const original = memory[method] as (...args: unknown[]) => Promise<unknown>
  const store = Object.create(memory) as RunStore
  Object.assign(store, {
    [method]: async (...args: unknown[]) => {
      calls += armed ? 1 : 0
      if (armed && calls === nth) await memory.deleteRun(runIdIn(args[0]))
      return original(...args)
    },
  })
  return { store, arm: () => (armed = true), dropped: () => calls >= nth }
}

/** Every method takes the run id first, but setRun, which takes the record. */
function runIdIn(first: unknown): string {
  return typeof first === 'string' ? first : (first as RunRecord).runId
}

type Action = 'resume' | 'approve' | 'approval retry' | 'signal' | 'abort' | 'start retry'

/** A run paused at its approval (or, once approved, at its signal), and the body of `action` on it. */
async function pausedRun(handler: (request: Request) => Promise<Response>, action: Action) {
  const first = await post(handler, { runId: 'dropped', input: null })
  const runId = runIdOf(first)
  const approval = { approvalId: approvalIdOf(first), approved: true }
  if (action === 'approval retry' || action === 'signal') await post(handler, { runId, approval })
  const bodies: Record<Action, unknown> = {
    resume: { runId, startIndex: 0 },
    approve: { runId, approval },
    'approval retry': { runId, approval },
    signal: { runId, signal: { signalId: 'paid', name: 'payment' } },
    abort: { runId, abort: true },
    'start retry': { runId, input: null },
  }
  return bodies[action]
}

/** Each way of serving a request: both must answer a gone run with run_not_found. */
const servedBy = {
  async http(store: RunStore, body: unknown) {
    const errors: unknown[] = []
    const response = await createWorkflowHandler({ workflow: reviewed, runStore: store, onError: (error) => errors.push(error) })(postRequest(body))
    const text = await response.text()
    expect(errors).toEqual([])
    expect(response.status).toBe(404)
    return (JSON.parse(text) as { error: unknown }).error
  },
  async runWorkflow(store: RunStore, body: unknown) {
    const stream = runWorkflow({ ...(body as RunWorkflowOptions), workflow: reviewed, runStore: store })
    const read = async () => {
      for await (const event of stream) expect.fail(`no event should come, got ${JSON.stringify(event)}`)
    }
    // Whichever meets the drop refuses: `ready` (applying the request) or reading (opening the log).
    return stream.ready.then(read).then(() => expect.fail('the request was served'), (error: unknown) => error)
  },
}
const ways = Object.keys(servedBy) as (keyof typeof servedBy)[]

describe.each(ways)('a run dropped while a request on it is served answers run_not_found (%s)', (way) => {
  it.each<[string, Action, StoreMethod, number]>([
    // Applying a decision writes to the run: the store refuses writes to a run it no longer has.
    ['approve, dropped as the run is marked running again', 'approve', 'setRun', 1],
    ['approve, dropped as the resumed segment is written', 'approve', 'append', 1],
    ['signal, dropped as the resumed segment is written', 'signal', 'append', 1],
    ['abort, dropped as the abort is written', 'abort', 'append', 1],
    // The drop ends the rebuilt execution the decision was about to be applied to.
    ['approve, dropped while the rebuilt run is checked for an abort request', 'approve', 'renewLease', 1],
    // The record was there, the log is gone: the response would wait a lease ttl and end with nothing.
    ['resume, dropped before the tail is read', 'resume', 'lastIndex', 1],
    ['an approval retry, dropped before the tail is read', 'approval retry', 'lastIndex', 1],
    ['a start retry, dropped before the tail is read', 'start retry', 'lastIndex', 1],
    ['resume, dropped as the response subscribes to the log', 'resume', 'subscribe', 1],
    ['resume, dropped as the response reads the log', 'resume', 'read', 1],
    // The response read the log (runWorkflow: the tail), but its run is gone before it starts: its tail would say -1.
    ['resume, dropped once the response read the log', 'resume', 'lastIndex', 2],
  ])('%s', async (_name, action, method, nth) => {
    const memory = inMemoryRunStore()
    const { store, arm, dropped } = droppingAt(memory, method, nth)
    const body = await pausedRun(createWorkflowHandler({ workflow: reviewed, runStore: store }), action)
    arm()
    const error = await servedBy[way](store, body)
    expect(dropped()).toBe(true)
    expect(error).toMatchObject({ code: 'run_not_found' })
    // Nothing is left of the run, and no reader holds on to it.
    expect(memory.stats()).toEqual({ runs: 0, events: 0, subscribers: 0 })
  })

  it.each<Action>(['resume', 'approve', 'signal', 'abort'])('%s on a run its ttl dropped, or that never existed', async (action) => {
    const memory = inMemoryRunStore({ ttl: 5 })
    const body = await pausedRun(createWorkflowHandler({ workflow: reviewed, runStore: memory }), action)
    await waitUntil(() => memory.stats().runs === 0, 'the ttl to drop the run')
    expect(await servedBy[way](memory, body)).toMatchObject({ code: 'run_not_found' })
    expect(await servedBy[way](memory, { ...(body as object), runId: 'never-was' })).toMatchObject({ code: 'run_not_found' })
    expect(memory.stats()).toEqual({ runs: 0, events: 0, subscribers: 0 })
  })
})
