/**
 * What clients see when a value the server made fails its own schema (an
 * agent's or the workflow's output, the initial state): a bug of the
 * server's, like any unexpected error, whose issue messages (a custom
 * refinement's text, the values a library quotes) are not written for
 * clients. An input the caller or the body passed that fails its schema
 * keeps saying why. And what a host's own `errorMessage` makes of these and
 * of the values JSON cannot hold.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { IndexedEvent } from '@stepstream/protocol'
import { createWorkflowHandler, defineAgent, defineWorkflow, WorkflowError, type WorkflowHandlerOptions } from '@stepstream/server'
import { eventsOfType, post } from './helpers.js'

const SECRET = 'ledger 4417 of tenant acme-internal'

/** A schema whose issue says what only the server should know. */
const ledgerTotal = z.object({ total: z.number().refine((total) => total >= 0, { message: `negative balance on ${SECRET}` }) })

afterEach(() => {
  vi.unstubAllEnvs()
})

async function start(options: WorkflowHandlerOptions, input: unknown = null) {
  return (await post(createWorkflowHandler(options), { input })).events
}

function stepErrors(events: IndexedEvent[]) {
  return eventsOfType(events, 'STEP_FINISHED')
    .filter((event) => event.metadata?.error)
    .map((event) => event.metadata!.error)
}

const last = (events: IndexedEvent[]) => events.at(-1)!.event

const balance = defineAgent({ name: 'balance', output: ledgerTotal, run: async () => ({ total: -5 }) })

const agentOutputWorkflow = defineWorkflow({
  name: 'agent-output',
  agents: { balance },
  run: async function* ({ agents }) {
    return yield* agents.balance()
  },
})

const workflowOutputWorkflow = defineWorkflow({
  name: 'workflow-output',
  output: ledgerTotal,
  run: async function* () {
    return { total: -5 }
  },
})

const initialStateWorkflow = defineWorkflow({
  name: 'initial-state',
  state: ledgerTotal,
  initialize: () => ({ total: -5 }),
  run: async function* () {
    return 'done'
  },
})

describe('in production, a server-made value that fails its schema', () => {
  it("fails an agent's step and the run with invalid_output, without the issues, which onError hears", async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const onError = vi.fn()
    const events = await start({ workflow: agentOutputWorkflow, onError })
    expect(stepErrors(events)).toEqual([{ name: 'WorkflowError', message: 'Output of agent "balance" is invalid' }])
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output', message: 'Output of agent "balance" is invalid' })
    expect(JSON.stringify(events)).not.toContain(SECRET)
    expect(onError).toHaveBeenCalledTimes(1)
    expect(String(onError.mock.calls[0]![0])).toContain(SECRET)
  })

  it.each([
    ["the workflow's own output", workflowOutputWorkflow, 'invalid_output', 'Output of workflow "workflow-output" is invalid'],
    ['an initial state', initialStateWorkflow, 'invalid_state', 'Initial state of "initial-state" is invalid'],
  ] as const)('fails the run for %s with its code, without the issues', async (_what, workflow, code, message) => {
    vi.stubEnv('NODE_ENV', 'production')
    const onError = vi.fn()
    const events = await start({ workflow, onError })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code, message })
    expect(JSON.stringify(events)).not.toContain(SECRET)
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('still gives the body the issues when it catches the error', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const workflow = defineWorkflow({
      name: 'catches',
      agents: { balance },
      run: async function* ({ agents }) {
        try {
          return yield* agents.balance()
        } catch (error) {
          return { caught: error instanceof WorkflowError ? error.message : 'not a WorkflowError' }
        }
      },
    })
    const events = await start({ workflow, onError: vi.fn() })
    expect(last(events)).toMatchObject({ type: 'RUN_FINISHED', result: { caught: expect.stringContaining(SECRET) } })
  })
})

describe('in production, an input that fails its schema', () => {
  it("keeps its issues: the agent's caller (and maybe the run's) passed it", async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const lookup = defineAgent({ name: 'lookup', input: z.object({ query: z.string().min(3, 'query needs at least 3 characters') }), run: async () => 'found' })
    const workflow = defineWorkflow({
      name: 'agent-input',
      agents: { lookup },
      run: async function* ({ agents }) {
        return yield* agents.lookup({ query: 'x' })
      },
    })
    const onError = vi.fn()
    const events = await start({ workflow, onError })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_input', message: 'Input of agent "lookup" is invalid: query: query needs at least 3 characters' })
    expect(onError).not.toHaveBeenCalled()
  })
})

describe('in development', () => {
  it('shows the issues of a server-made value, as before', async () => {
    vi.stubEnv('NODE_ENV', 'development')
    const onError = vi.fn()
    const events = await start({ workflow: agentOutputWorkflow, onError })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output', message: `Output of agent "balance" is invalid: total: negative balance on ${SECRET}` })
    expect(onError).not.toHaveBeenCalled()
  })
})

describe("a host's errorMessage", () => {
  const errorMessage = (_error: unknown, { stepName }: { stepName?: string }) => (stepName ? `"${stepName}" is unavailable (ref 42)` : 'Something went wrong (ref 42)')

  it('words a server-made value that fails its schema, keeping the code', async () => {
    const wordedFor = vi.fn(errorMessage)
    const events = await start({ workflow: agentOutputWorkflow, errorMessage: wordedFor })
    expect(stepErrors(events)).toEqual([{ name: 'WorkflowError', message: '"balance" is unavailable (ref 42)' }])
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output', message: '"balance" is unavailable (ref 42)' })
    // It is told the error with its issues, to log them.
    expect(wordedFor).toHaveBeenCalledTimes(1)
    expect(String(wordedFor.mock.calls[0]![0])).toContain(SECRET)
  })

  it('words a value JSON cannot hold by what its toJSON threw, keeping the code', async () => {
    const cause = new Error(`connect ECONNREFUSED ${SECRET}`)
    const workflow = defineWorkflow({
      name: 'returns-record',
      run: async function* () {
        return {
          toJSON(): never {
            throw cause
          },
        }
      },
    })
    const wordedFor = vi.fn(errorMessage)
    const events = await start({ workflow, errorMessage: wordedFor })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output', message: 'Something went wrong (ref 42)' })
    expect(wordedFor).toHaveBeenCalledTimes(1)
    expect(wordedFor.mock.calls[0]![0]).toBe(cause)
  })
})
