/**
 * Type-level checks of `runWorkflow`'s start: `pnpm typecheck` compiles this
 * file, so an input the workflow would refuse must fail the build. The
 * calls sit in functions that are never called: only their types matter here.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { defineWorkflow, inMemoryRunStore, runWorkflow, type RunWorkflowOptions, type Workflow } from '@stepstream/server'

const runStore = inMemoryRunStore()

function echo<TCallInput, TInput>(name: string, input: z.ZodType<TInput, TCallInput>) {
  return defineWorkflow({
    name,
    input,
    run: async function* ({ input }) {
      return input
    },
  })
}

const required = echo('required', z.object({ topic: z.string() }))
const optional = echo('optional', z.object({ topic: z.string() }).optional())
const defaulted = echo('defaulted', z.object({ topic: z.string() }).default({ topic: 'owls' }))
const nullable = echo('nullable', z.object({ topic: z.string() }).nullable())
const untyped = defineWorkflow({
  name: 'untyped',
  run: async function* ({ input }) {
    return input
  },
})

describe('runWorkflow types', () => {
  it("takes exactly the workflow's input on start", () => {
    const calls = () => {
      runWorkflow({ workflow: required, runStore, input: { topic: 'owls' } })
      runWorkflow({ workflow: required, runStore, input: { topic: 'owls' }, runId: 'my-run' })
      // @ts-expect-error a wrong input type
      runWorkflow({ workflow: required, runStore, input: { topic: 42 } })
      // @ts-expect-error a key the schema does not have
      runWorkflow({ workflow: required, runStore, input: { subject: 'owls' } })
      // @ts-expect-error the schema needs an input
      runWorkflow({ workflow: required, runStore })
      // @ts-expect-error undefined is no input either
      runWorkflow({ workflow: required, runStore, input: undefined })
      // @ts-expect-error null is not an input this schema takes
      runWorkflow({ workflow: required, runStore, input: null })
    }
    expect(calls).toBeTypeOf('function')
  })

  it('lets the input be left out only when the schema takes a missing one', () => {
    const calls = () => {
      runWorkflow({ workflow: optional, runStore })
      runWorkflow({ workflow: optional, runStore, input: { topic: 'owls' } })
      runWorkflow({ workflow: defaulted, runStore })
      runWorkflow({ workflow: defaulted, runStore, runId: 'my-run' })
      runWorkflow({ workflow: untyped, runStore })
      runWorkflow({ workflow: untyped, runStore, input: 'anything' })
      runWorkflow({ workflow: nullable, runStore, input: null })
      // @ts-expect-error a nullable input is still an input: null must be sent
      runWorkflow({ workflow: nullable, runStore })
      // @ts-expect-error a wrong input type, optional or not
      runWorkflow({ workflow: optional, runStore, input: { topic: 42 } })
    }
    expect(calls).toBeTypeOf('function')
  })

  it('leaves the actions on an existing run as they were', () => {
    const calls = () => {
      runWorkflow({ workflow: required, runStore, runId: 'r', startIndex: 0 })
      runWorkflow({ workflow: required, runStore, runId: 'r', approval: { approvalId: 'a', approved: true } })
      runWorkflow({ workflow: required, runStore, runId: 'r', signal: { signalId: 's', name: 'paid', payload: { any: 'thing' } } })
      runWorkflow({ workflow: required, runStore, runId: 'r', abort: true })
      // @ts-expect-error one action per request
      runWorkflow({ workflow: required, runStore, runId: 'r', startIndex: 0, abort: true })
      // @ts-expect-error an approval needs its run
      runWorkflow({ workflow: required, runStore, approval: { approvalId: 'a', approved: true } })
    }
    expect(calls).toBeTypeOf('function')
  })

  it('keeps RunWorkflowOptions usable without a type argument, for hosts that pass any workflow through', () => {
    const host = (workflow: Workflow, request: { input: unknown } | { runId: string; startIndex: number }) =>
      runWorkflow({ ...request, workflow, runStore })
    expectTypeOf<RunWorkflowOptions<typeof required>>().toExtend<RunWorkflowOptions>()
    expectTypeOf<{ workflow: typeof required; runStore: typeof runStore; input: { topic: string } }>().toExtend<RunWorkflowOptions<typeof required>>()
    expectTypeOf<{ workflow: typeof required; runStore: typeof runStore; input: unknown }>().not.toExtend<RunWorkflowOptions<typeof required>>()
    expect(host).toBeTypeOf('function')
  })
})
