/**
 * An orchestrator's router decisions are journalled as 'route' entries (with
 * the state the router left): Redis keeps them as they were written, so a
 * paused orchestrator is rebuilt on another process without asking its
 * router again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { approve, createWorkflowHandler, defineAgent, defineOrchestrator, defineWorkflow, type RunStore, type Workflow } from '@stepstream/server'
import { approvalIdOf, readSse, runIdOf, type SseRead } from './cluster/sse.js'
import { testStore, uniquePrefix } from './helpers.js'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

const planner = defineAgent({ name: 'planner', run: ({ input }: { input: { goal: string } }) => ({ plan: `plan ${input.goal}` }) })
const review = defineWorkflow({
  name: 'review',
  run: async function* () {
    return (yield* approve({ title: 'Ship?' })).approved
  },
})

/** One request to a handler on `store`: each store object stands for a server process. */
async function post(store: RunStore, workflow: Workflow, body: unknown): Promise<SseRead> {
  const handler = createWorkflowHandler({ workflow, runStore: store })
  return readSse(await handler(new Request('http://test.local/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })))
}

describe('orchestrator replay on redis', () => {
  it('rebuilds a paused orchestrator on another process from its recorded decisions and state', async () => {
    const prefix = uniquePrefix()
    const [a, b] = [testStore({ prefix }), testStore({ prefix })]
    closers.push(() => a.close(), () => b.close())
    let calls = 0
    const workflow = defineOrchestrator({
      name: 'feature',
      agents: { planner, review },
      initialize: () => ({ routed: [] as number[] }),
      router: ({ turn, state }) => {
        calls += 1
        state.routed.push(turn)
        // A second answer for the first turn, as an LLM may give: a rebuild that asked again would take it.
        if (turn === 0) return calls === 1 ? { agent: 'planner', input: { goal: 'login' } } : { agent: 'review', input: undefined }
        if (turn === 1) return { agent: 'review', input: undefined }
        return { done: true, output: state.routed }
      },
    })
    const first = await post(a, workflow, { input: null })
    const runId = runIdOf(first)
    const routes = (await a.readSteps(runId)).filter((entry) => entry.command === 'route')
    expect(routes).toEqual([
      { type: 'settled', seq: 'route.0', command: 'route', name: 'route', outcome: { ok: true, value: { decision: { agent: 'planner', input: { goal: 'login' } }, state: { routed: [0] } } } },
      { type: 'settled', seq: 'route.1', command: 'route', name: 'route', outcome: { ok: true, value: { decision: { agent: 'review' }, state: { routed: [0, 1] } } } },
    ])

    const second = await post(b, workflow, { runId, approval: { approvalId: approvalIdOf(first), approved: true } })
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: [0, 1, 2] })
    expect(calls).toBe(3)
  })
})
