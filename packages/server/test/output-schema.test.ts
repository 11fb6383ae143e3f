/**
 * An `output` schema validates what `run` produced and may change it (a
 * transform, a default): `run` returns the schema's input type, and callers
 * get its output type. `pnpm typecheck` compiles this file; the runs check
 * that the values are what the types say.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  defineAgent,
  defineOrchestrator,
  defineWorkflow,
  inMemoryRunStore,
  mockAgent,
  runWorkflow,
  type AgentOutput,
  type Workflow,
} from '@stepstream/server'

const length = z.string().transform((text) => text.length)

async function outputOf(workflow: Workflow): Promise<unknown> {
  const stream = runWorkflow({ workflow, runStore: inMemoryRunStore(), input: null })
  let last: unknown
  for await (const { event } of stream) last = event
  expect(last).toMatchObject({ type: 'RUN_FINISHED' })
  return (last as { result?: unknown }).result
}

describe('a transforming output schema', () => {
  it('types a workflow: run returns the text, the output is its length', async () => {
    const counted = defineWorkflow({
      name: 'counted',
      output: length,
      run: async function* () {
        return 'four'
      },
    })
    expectTypeOf(counted).toEqualTypeOf<Workflow<unknown, number, Record<string, unknown>>>()
    defineWorkflow({
      name: 'miscounted',
      output: length,
      // @ts-expect-error run returns what the schema takes, not what it makes
      run: async function* () {
        return 4
      },
    })
    expect(await outputOf(counted)).toBe(4)
  })

  it('types an agent and a mock agent the same way', async () => {
    const agent = defineAgent({ name: 'agent', output: length, run: async () => 'three' })
    const mock = mockAgent({ name: 'mock', output: length, result: () => 'two' })
    expectTypeOf<AgentOutput<typeof agent>>().toEqualTypeOf<number>()
    expectTypeOf<AgentOutput<typeof mock>>().toEqualTypeOf<number>()
    // @ts-expect-error run returns what the schema takes
    defineAgent({ name: 'wrong', output: length, run: async () => 3 })
    const both = defineWorkflow({
      name: 'both',
      agents: { agent, mock },
      run: async function* ({ agents }) {
        const sum = (yield* agents.agent()) + (yield* agents.mock())
        expectTypeOf(sum).toEqualTypeOf<number>()
        return sum
      },
    })
    expect(await outputOf(both)).toBe('three'.length + 'two'.length)
  })

  it("types an orchestrator: the router's done output is what the schema takes", async () => {
    const routed = defineOrchestrator({
      name: 'routed',
      agents: {},
      output: length,
      router: () => ({ done: true, output: 'done' }),
    })
    expectTypeOf(routed).toEqualTypeOf<Workflow<unknown, number, Record<string, unknown>>>()
    expect(await outputOf(routed)).toBe(4)
  })
})
