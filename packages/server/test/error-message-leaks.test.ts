/**
 * Paths by which an unexpected error's text still reached clients in
 * production once 2ee117c masked a step's or a body's own throw: errors the
 * engine raises about another error (a value JSON cannot hold, whose toJSON
 * or getter throws), an error the body rethrows after its step reported it,
 * and an error whose message cannot even be read. Over real HTTP.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { IndexedEvent } from '@stepstream/protocol'
import { createWorkflowHandler, defineAgent, defineOrchestrator, defineWorkflow, StepFailedError, WorkflowError, type WorkflowHandlerOptions } from '@stepstream/server'
import { eventsOfType, listen, readSse } from './helpers.js'

const SECRET = 'postgres://app:hunter2@db.internal:5432/prod'

class DatabaseError extends Error {
  override name = 'DatabaseError'
}

/** A value whose JSON form needs the database: serialising it throws what the driver says. */
const lazyRecord = () => ({
  toJSON(): never {
    throw new DatabaseError(`connect ECONNREFUSED ${SECRET}`)
  },
})

const running: Awaited<ReturnType<typeof listen>>[] = []

afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(running.splice(0).map((server) => server.close()))
})

async function start(options: WorkflowHandlerOptions) {
  const server = await listen(createWorkflowHandler(options))
  running.push(server)
  // Bounded: a run that never writes its terminal event fails the test instead of hanging it.
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: null }),
    signal: AbortSignal.timeout(5000),
  })
  return (await readSse(response)).events
}

function stepErrors(events: IndexedEvent[]) {
  return eventsOfType(events, 'STEP_FINISHED')
    .filter((event) => event.metadata?.error)
    .map((event) => event.metadata!.error)
}

const last = (events: IndexedEvent[]) => events.at(-1)!.event

describe('in production, an error the engine raises about another error', () => {
  it("does not carry a step output's toJSON error", async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const fetchRecord = defineAgent({ name: 'fetchRecord', run: async () => lazyRecord() })
    const workflow = defineWorkflow({
      name: 'record',
      agents: { fetchRecord },
      run: async function* ({ agents }) {
        return yield* agents.fetchRecord()
      },
    })
    const onError = vi.fn()
    const events = await start({ workflow, onError })
    expect(stepErrors(events)).toEqual([{ name: 'WorkflowError', message: 'Output of step "fetchRecord" is not JSON' }])
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output', message: 'Output of step "fetchRecord" is not JSON' })
    expect(JSON.stringify(events)).not.toMatch(/hunter2|ECONNREFUSED/)
    // The detail is not lost: the host hears it, once.
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(DatabaseError)
  })

  it("does not carry a workflow output's toJSON error", async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const workflow = defineWorkflow({
      name: 'returns-record',
      run: async function* () {
        return lazyRecord()
      },
    })
    const onError = vi.fn()
    const events = await start({ workflow, onError })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_output', message: 'Output of workflow "returns-record" is not JSON' })
    expect(JSON.stringify(events)).not.toMatch(/hunter2|ECONNREFUSED/)
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('does not carry what a state getter threw', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const workflow = defineWorkflow({
      name: 'stateful',
      run: async function* ({ state }) {
        Object.defineProperty(state, 'record', { enumerable: true, get: () => lazyRecord().toJSON() })
        yield* [] // a yield boundary reads the state
        return 'done'
      },
    })
    const events = await start({ workflow, onError: vi.fn() })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_state' })
    expect(JSON.stringify(events)).not.toMatch(/hunter2|ECONNREFUSED/)
  })

  it("does not carry a router decision's toJSON error (invalid_route)", async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const echo = defineAgent({ name: 'echo', run: async (input: unknown) => input })
    const workflow = defineOrchestrator({
      name: 'routed',
      agents: { echo },
      router: () => ({ agent: 'echo' as const, input: lazyRecord() }),
    })
    const events = await start({ workflow, onError: vi.fn() })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_route', message: 'Router of "routed" returned a decision JSON cannot hold, so it could not be recorded' })
    expect(JSON.stringify(events)).not.toMatch(/hunter2|ECONNREFUSED/)
  })
})

describe('a WorkflowError behind one the engine raises', () => {
  it('is meant for clients: its text comes through in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const workflow = defineWorkflow({
      name: 'returns-quota',
      run: async function* () {
        return {
          toJSON(): never {
            throw new WorkflowError('quota_exceeded', 'No exports left this month')
          },
        }
      },
    })
    const onError = vi.fn()
    const events = await start({ workflow, onError })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', message: 'Output of workflow "returns-quota" is not JSON: No exports left this month' })
    expect(onError).not.toHaveBeenCalled()
  })
})

describe('in development', () => {
  it('still tells the developer why a value is not JSON', async () => {
    vi.stubEnv('NODE_ENV', 'development')
    const workflow = defineWorkflow({
      name: 'returns-record',
      run: async function* () {
        return lazyRecord()
      },
    })
    const events = await start({ workflow, onError: vi.fn() })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', message: `Output of workflow "returns-record" is not JSON: connect ECONNREFUSED ${SECRET}` })
  })
})

describe('reports', () => {
  it('hears an error once when the body rethrows the cause its failed step already reported', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const lookup = defineAgent({
      name: 'lookup',
      run: async (): Promise<string> => {
        throw new DatabaseError(`connect ECONNREFUSED ${SECRET}`)
      },
    })
    const workflow = defineWorkflow({
      name: 'rethrows-cause',
      agents: { lookup },
      run: async function* ({ agents }) {
        try {
          return yield* agents.lookup()
        } catch (error) {
          throw error instanceof StepFailedError ? error.cause : error
        }
      },
    })
    const onError = vi.fn()
    const events = await start({ workflow, onError })
    expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'internal' })
    expect(JSON.stringify(events)).not.toContain('hunter2')
    expect(onError).toHaveBeenCalledTimes(1)
  })
})

describe('an error whose message cannot be read', () => {
  /** A proxy-backed error, say, whose message getter throws. */
  function unreadable(): Error {
    const error = new Error('placeholder')
    Object.defineProperty(error, 'message', {
      get() {
        throw new DatabaseError(`connect ECONNREFUSED ${SECRET}`)
      },
    })
    return error
  }
  const lookup = defineAgent({
    name: 'lookup',
    run: async (): Promise<string> => {
      throw unreadable()
    },
  })
  const workflow = defineWorkflow({
    name: 'unreadable',
    agents: { lookup },
    run: async function* ({ agents }) {
      return yield* agents.lookup()
    },
  })

  for (const env of ['production', 'development']) {
    it(`still fails its step and ends the run (${env})`, async () => {
      vi.stubEnv('NODE_ENV', env)
      const events = await start({ workflow, onError: vi.fn() })
      expect(stepErrors(events)).toHaveLength(1)
      expect(eventsOfType(events, 'STEP_FINISHED')[0]!.stepName).toBe('lookup')
      expect(last(events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed' })
      expect(JSON.stringify(events)).not.toContain('hunter2')
    })
  }
})
