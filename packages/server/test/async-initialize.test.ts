/**
 * `initialize` may be async (the engine awaits it, and journals the state it
 * made): `state` is then what its promise resolves to, in the types as at
 * run time. `pnpm typecheck` compiles this file.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { defineOrchestrator, defineWorkflow, inMemoryRunStore, runWorkflow, type Workflow } from '@stepstream/server'

async function snapshotOf(workflow: Workflow): Promise<unknown> {
  for await (const { event } of runWorkflow({ workflow, runStore: inMemoryRunStore(), input: { start: 3 } })) {
    if (event.type === 'STATE_SNAPSHOT') return event.snapshot
  }
  throw new Error('no STATE_SNAPSHOT')
}

describe('an async initialize', () => {
  it('gives the body, and the router, the state its promise resolves to', async () => {
    const counter = defineWorkflow({
      name: 'counter',
      input: z.object({ start: z.number() }),
      initialize: async ({ start }) => ({ count: start }),
      run: async function* ({ state }) {
        expectTypeOf(state).toEqualTypeOf<{ count: number }>()
        state.count += 1
        return state.count
      },
    })
    expectTypeOf(counter).toEqualTypeOf<Workflow<{ start: number }, number, { count: number }>>()
    const routed = defineOrchestrator({
      name: 'routed',
      input: z.object({ start: z.number() }),
      agents: {},
      initialize: async ({ start }) => ({ count: start }),
      router: ({ state }) => {
        expectTypeOf(state).toEqualTypeOf<{ count: number }>()
        return { done: true, output: state.count }
      },
    })
    expect(await snapshotOf(counter)).toEqual({ count: 3 })
    expect(await snapshotOf(routed)).toEqual({ count: 3 })
  })
})
