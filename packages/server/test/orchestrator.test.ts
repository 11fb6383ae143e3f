import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createWorkflowHandler, defineOrchestrator, defineRouter, inMemoryRunStore, mockAgent } from '@stepstream/server'
import { eventsOfType, post } from './helpers.js'

const planner = mockAgent({
  name: 'planner',
  input: z.object({ goal: z.string() }),
  output: z.object({ tasks: z.array(z.string()) }),
  text: 'Planning',
  result: ({ goal }) => ({ tasks: [`spec ${goal}`, `build ${goal}`] }),
})
const builder = mockAgent({
  name: 'builder',
  input: z.object({ task: z.string() }),
  output: z.object({ done: z.string() }),
  result: ({ task }) => ({ done: task }),
})
const agents = { planner, builder }

describe('defineOrchestrator', () => {
  it('routes turn by turn until the router says done', async () => {
    const router = defineRouter(
      { agents, input: z.object({ goal: z.string() }), output: z.object({ built: z.array(z.string()) }) },
      ({ input, history }) => {
        if (history.length === 0) return { agent: 'planner', input: { goal: input.goal } }
        const plan = history[0]!
        const tasks = plan.agent === 'planner' ? plan.output.tasks : []
        const built = history.slice(1).flatMap((turn) => (turn.agent === 'builder' ? [turn.output.done] : []))
        const next = tasks[built.length]
        return next === undefined ? { done: true, output: { built } } : { agent: 'builder', input: { task: next } }
      },
    )
    const orchestrator = defineOrchestrator({
      name: 'feature',
      input: z.object({ goal: z.string() }),
      output: z.object({ built: z.array(z.string()) }),
      agents,
      router,
    })
    const handler = createWorkflowHandler({ workflow: orchestrator, runStore: inMemoryRunStore() })
    const result = await post(handler, { input: { goal: 'login' } })
    expect(eventsOfType(result.events, 'STEP_STARTED').map((event) => event.stepName)).toEqual(['planner', 'builder', 'builder'])
    expect(eventsOfType(result.events, 'STEP_STARTED').every((event) => event.metadata?.stepType === 'agent')).toBe(true)
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { built: ['spec login', 'build login'] } })
  })

  it('fails with RUN_ERROR max_turns_exceeded when the router never finishes', async () => {
    const orchestrator = defineOrchestrator({
      name: 'looping',
      agents,
      maxTurns: 3,
      router: ({ turn }) => ({ agent: 'builder', input: { task: `t${turn}` } }),
    })
    const handler = createWorkflowHandler({ workflow: orchestrator })
    const result = await post(handler, { input: null })
    expect(eventsOfType(result.events, 'STEP_STARTED')).toHaveLength(3)
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'max_turns_exceeded' })
  })

  it.each([Number.NaN, -1])('refuses a maxTurns of %s, which is no number of turns', (maxTurns) => {
    // NaN: `turn >= NaN` is never true, so a router that never finishes would run agents forever.
    expect(() => defineOrchestrator({ name: 'unbounded', agents, maxTurns, router: () => ({ agent: 'builder', input: { task: 't' } }) })).toThrow(TypeError)
  })

  it('fails the run when the router names an agent it does not have', async () => {
    const orchestrator = defineOrchestrator({
      name: 'confused',
      agents,
      router: () => ({ agent: 'ghost', input: {} }) as never,
    })
    const result = await post(createWorkflowHandler({ workflow: orchestrator }), { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_route' })
  })

  it.each([undefined, null, 'writer', 42])('fails the run with invalid_route when the router returns %s, which is no decision', async (decision) => {
    const orchestrator = defineOrchestrator({ name: 'lost', agents, router: () => decision as never })
    const result = await post(createWorkflowHandler({ workflow: orchestrator }), { input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_route' })
  })
})
