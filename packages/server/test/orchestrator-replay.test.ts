/**
 * An orchestrator's router is a recorded step: a paused orchestrator is
 * rebuilt from the journal without asking its router again (a router that
 * asks an LLM would pay for, and may change, every earlier decision), and
 * the state the router left is rebuilt with it.
 */
import { describe, expect, it } from 'vitest'
import { approve, createWorkflowHandler, defineAgent, defineOrchestrator, defineWorkflow, inMemoryRunStore, type RunStore, type Workflow } from '@stepstream/server'
import { approvalIdOf, eventsOfType, post, processView, runIdOf, type SseResult } from './helpers.js'

const planner = defineAgent({ name: 'planner', run: ({ input }: { input: { goal: string } }) => ({ plan: `plan ${input.goal}` }) })
const builder = defineAgent({ name: 'builder', run: ({ input }: { input: { task: string } }) => ({ built: input.task }) })
/** A nested workflow that asks for an approval: the orchestrator pauses inside its turn. */
const review = defineWorkflow({
  name: 'review',
  run: async function* () {
    const decision = yield* approve({ title: 'Ship?' })
    return { shipped: decision.approved }
  },
})

/**
 * Plans, has the plan reviewed (a pause), then builds. Like an LLM, it need
 * not give the same answer twice: asked again about the first turn, it
 * picks the builder. It notes each turn it routed in the state.
 */
function fickleOrchestrator() {
  const calls = { count: 0 }
  const workflow = defineOrchestrator({
    name: 'feature',
    agents: { planner, builder, review },
    initialize: () => ({ routed: [] as string[] }),
    router: async ({ turn, state }) => {
      calls.count += 1
      state.routed.push(`turn ${turn}`)
      if (turn === 0) return calls.count === 1 ? { agent: 'planner', input: { goal: 'login' } } : { agent: 'builder', input: { task: 'something else' } }
      if (turn === 1) return { agent: 'review', input: undefined }
      if (turn === 2) return { agent: 'builder', input: { task: 'login' } }
      return { done: true, output: { routed: state.routed.length } }
    },
  })
  return { workflow, calls }
}

function approveOn(store: RunStore, workflow: Workflow, paused: SseResult) {
  const handler = createWorkflowHandler({ workflow, runStore: store })
  return post(handler, { runId: runIdOf(paused), approval: { approvalId: approvalIdOf(paused), approved: true } })
}

/** The run as a store journalled it before router decisions were recorded: the same, without its 'route' entries. */
async function journalledBeforeRoutes(store: RunStore, runId: string): Promise<RunStore> {
  const copy = inMemoryRunStore()
  await copy.createRun((await store.getRun(runId))!)
  for (const { event } of await store.read(runId, 0)) await copy.append(runId, event)
  for (const entry of await store.readSteps(runId)) if (entry.command !== 'route') await copy.appendStep(runId, entry)
  return copy
}

describe('orchestrator replay', () => {
  it('rebuilds a paused orchestrator from its recorded decisions: the router is not asked again, whatever it would answer now', async () => {
    const store = inMemoryRunStore()
    const { workflow, calls } = fickleOrchestrator()
    const first = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    expect(calls.count).toBe(2)

    const second = await approveOn(processView(store), workflow, first)
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { routed: 4 } })
    // Two decisions before the pause, two after it: none asked twice.
    expect(calls.count).toBe(4)
    // The review and its approval reopened, then the builder: the recorded course, not the one the router would take now.
    expect(eventsOfType(second.events, 'STEP_STARTED').map((event) => event.stepName)).toEqual(['review', 'Ship?', 'builder'])
    const routes = (await store.readSteps(runIdOf(first))).filter((entry) => entry.command === 'route')
    expect(routes.map((entry) => entry.type === 'settled' && entry.outcome)).toEqual([
      { ok: true, value: { decision: { agent: 'planner', input: { goal: 'login' } }, state: { routed: ['turn 0'] } } },
      { ok: true, value: { decision: { agent: 'review' }, state: { routed: ['turn 0', 'turn 1'] } } },
      { ok: true, value: { decision: { agent: 'builder', input: { task: 'login' } }, state: { routed: ['turn 0', 'turn 1', 'turn 2'] } } },
      { ok: true, value: { decision: { done: true, output: { routed: 4 } }, state: { routed: ['turn 0', 'turn 1', 'turn 2', 'turn 3'] } } },
    ])
  })

  it('rebuilds the state the router left: the pause is reached with it, and every change is streamed once', async () => {
    const store = inMemoryRunStore()
    const { workflow } = fickleOrchestrator()
    const first = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    // The router's changes go out at the next yield boundary, before the step it chose.
    expect(eventsOfType(first.events, 'STATE_DELTA').map((event) => event.delta)).toEqual([
      [{ op: 'add', path: '/routed/0', value: 'turn 0' }],
      [{ op: 'add', path: '/routed/1', value: 'turn 1' }],
    ])

    const second = await approveOn(processView(store), workflow, first)
    expect(eventsOfType(second.events, 'STATE_SNAPSHOT')[0]!.snapshot).toEqual({ routed: ['turn 0', 'turn 1'] })
    expect(eventsOfType(second.events, 'STATE_DELTA').map((event) => event.delta)).toEqual([
      [{ op: 'add', path: '/routed/2', value: 'turn 2' }],
      [{ op: 'add', path: '/routed/3', value: 'turn 3' }],
    ])
  })

  it('records no state when the router changes none', async () => {
    const store = inMemoryRunStore()
    const workflow = defineOrchestrator({
      name: 'stateless',
      agents: { review },
      router: ({ turn }) => (turn === 0 ? { agent: 'review', input: undefined } : { done: true, output: 'ok' }),
    })
    const first = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    const [route] = (await store.readSteps(runIdOf(first))).filter((entry) => entry.command === 'route')
    expect(route).toMatchObject({ type: 'settled', seq: 'route.0', name: 'route', outcome: { ok: true, value: { decision: { agent: 'review' } } } })
    expect(route!.type === 'settled' && route!.outcome.ok && route!.outcome.value).not.toHaveProperty('state')
    const second = await approveOn(processView(store), workflow, first)
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'ok' })
  })

  it('hands the body the decision as the JSON a rebuilt run gets from the journal', async () => {
    const seen: unknown[] = []
    const echo = defineAgent({ name: 'echo', run: ({ input }: { input: unknown }) => seen.push(input) })
    const when = new Date(0)
    const workflow = defineOrchestrator({
      name: 'dated',
      agents: { echo },
      router: ({ turn }) => (turn === 0 ? { agent: 'echo', input: { when } } : { done: true, output: null }),
    })
    await post(createWorkflowHandler({ workflow }), { input: null })
    expect(seen).toEqual([{ when: when.toISOString() }])
  })

  it('fails the run with invalid_route when a decision is not JSON, so it could not be recorded', async () => {
    const workflow = defineOrchestrator({ name: 'big', agents: { builder }, router: () => ({ agent: 'builder', input: { task: 1n } }) as never })
    const result = await post(createWorkflowHandler({ workflow }), { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_route' })
  })

  it('rebuilds a run journalled before decisions were recorded by asking the router again, as it did then', async () => {
    const store = inMemoryRunStore()
    const calls = { count: 0 }
    const workflow = defineOrchestrator({
      name: 'steady',
      agents: { planner, review },
      initialize: () => ({ turns: 0 }),
      router: ({ turn, state }) => {
        calls.count += 1
        state.turns += 1
        if (turn === 0) return { agent: 'planner', input: { goal: 'login' } }
        if (turn === 1) return { agent: 'review', input: undefined }
        return { done: true, output: state.turns }
      },
    })
    const first = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    const old = await journalledBeforeRoutes(store, runIdOf(first))
    const second = await approveOn(old, workflow, first)
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 3 })
    // Two decisions live, two again to rebuild them, the last live: the cost that recording saves.
    expect(calls.count).toBe(5)
    // From the resume on, decisions are recorded: a later rebuild would not ask for them again.
    expect((await old.readSteps(runIdOf(first))).filter((entry) => entry.command === 'route').map((entry) => entry.seq)).toEqual(['route.2'])
  })

  it('fails a rebuild of such an old run with nondeterministic_replay when the router now answers differently, as it did then', async () => {
    const store = inMemoryRunStore()
    const { workflow } = fickleOrchestrator()
    const first = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    const second = await approveOn(await journalledBeforeRoutes(store, runIdOf(first)), workflow, first)
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'nondeterministic_replay' })
  })

  it('rebuilds an orchestrator nested in a workflow from its recorded decisions', async () => {
    const store = inMemoryRunStore()
    const { workflow: inner, calls } = fickleOrchestrator()
    const outer = defineWorkflow({
      name: 'outer',
      agents: { inner },
      run: async function* ({ agents }) {
        return yield* agents.inner()
      },
    })
    const first = await post(createWorkflowHandler({ workflow: outer, runStore: store }), { input: null })
    const second = await approveOn(processView(store), outer, first)
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { routed: 4 } })
    expect(calls.count).toBe(4)
    const seqs = (await store.readSteps(runIdOf(first))).filter((entry) => entry.command === 'route').map((entry) => entry.seq)
    expect(seqs).toEqual(['0.route.0', '0.route.1', '0.route.2', '0.route.3'])
  })
})
