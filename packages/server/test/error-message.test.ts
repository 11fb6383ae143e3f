/**
 * What clients see of errors stepstream did not raise for them, over real
 * HTTP: in production a generic message (the original goes to `onError`),
 * a custom `errorMessage` when given, and otherwise (development, tests) the
 * error's own name and message. WorkflowErrors are meant for clients and
 * always pass as they are. The body itself, live or rebuilt, sees the real error.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { IndexedEvent } from '@stepstream/protocol'
import {
  approve,
  createWorkflowHandler,
  defineAgent,
  defineWorkflow,
  inMemoryRunStore,
  mockAgent,
  StepFailedError,
  WorkflowError,
  type RunStore,
  type WorkflowHandlerOptions,
} from '@stepstream/server'
import { approvalIdOf, eventsOfType, jsonJournal, listen, readSse, runIdOf } from './helpers.js'

/** What an uncaught database error carries that no browser should see. */
const SECRET = 'postgres://app:hunter2@db.internal:5432/prod'

class DatabaseError extends Error {
  override name = 'DatabaseError'
}

const databaseError = () => new DatabaseError(`connect ECONNREFUSED ${SECRET}`)

const lookup = defineAgent({
  name: 'lookup',
  run: async (): Promise<string> => {
    throw databaseError()
  },
})

/** The step fails and nothing catches it. */
const uncaught = defineWorkflow({
  name: 'uncaught',
  agents: { lookup },
  run: async function* ({ agents }) {
    return yield* agents.lookup()
  },
})

/** The body itself throws, outside any step. */
const bodyThrows = defineWorkflow({
  name: 'body-throws',
  run: async function* () {
    throw databaseError()
  },
})

const running: Awaited<ReturnType<typeof listen>>[] = []

afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(running.splice(0).map((server) => server.close()))
})

async function serve(options: WorkflowHandlerOptions) {
  const server = await listen(createWorkflowHandler(options))
  running.push(server)
  const send = async (body: unknown) =>
    readSse(await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
  return { send }
}

function lastEvent(events: IndexedEvent[]) {
  return events.at(-1)!.event
}

/** The error of the last step that failed. */
function stepError(events: IndexedEvent[]) {
  return eventsOfType(events, 'STEP_FINISHED').findLast((event) => event.metadata?.error)!.metadata!.error
}

describe('in production (NODE_ENV=production)', () => {
  it('sends a failed step and its run with a generic message, and gives onError the original once', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const onError = vi.fn()
    const { send } = await serve({ workflow: uncaught, onError })
    const { events } = await send({ input: null })
    expect(stepError(events)).toEqual({ name: 'Error', message: 'Step "lookup" failed' })
    expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: 'Step "lookup" failed' })
    expect(JSON.stringify(events)).not.toMatch(/hunter2|DatabaseError|ECONNREFUSED/)
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(DatabaseError)
    expect((onError.mock.calls[0]![0] as Error).message).toContain(SECRET)
  })

  it('sends an error the body throws as RUN_ERROR internal "Internal error"', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const onError = vi.fn()
    const { send } = await serve({ workflow: bodyThrows, onError })
    const { events } = await send({ input: null })
    expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'internal', message: 'Internal error' })
    expect(JSON.stringify(events)).not.toContain('hunter2')
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(DatabaseError)
  })

  it('reports to console.error with the [stepstream] prefix when there is no onError', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { send } = await serve({ workflow: bodyThrows })
      await send({ input: null })
      expect(logged).toHaveBeenCalledTimes(1)
      expect(logged.mock.calls[0]![0]).toMatch(/^\[stepstream\]/)
      expect(logged.mock.calls[0]).toContainEqual(expect.any(DatabaseError))
    } finally {
      logged.mockRestore()
    }
  })

  it('does not leak through the step of a nested workflow whose own step failed', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const inner = defineWorkflow({
      name: 'inner',
      agents: { lookup },
      run: async function* ({ agents }) {
        return yield* agents.lookup()
      },
    })
    const outer = defineWorkflow({
      name: 'outer',
      agents: { inner },
      run: async function* ({ agents }) {
        return yield* agents.inner()
      },
    })
    const onError = vi.fn()
    const { send } = await serve({ workflow: outer, onError })
    const { events } = await send({ input: null })
    expect(eventsOfType(events, 'STEP_FINISHED').map((event) => [event.stepName, event.metadata!.error])).toEqual([
      ['lookup', { name: 'Error', message: 'Step "lookup" failed' }],
      // The inner step's failure reaches the outer step as the StepFailedError the engine made of it, with the message clients saw.
      ['inner', { name: 'StepFailedError', message: 'Step "lookup" failed' }],
    ])
    expect(JSON.stringify(events)).not.toContain('hunter2')
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('passes WorkflowErrors (and StepFailedErrors) unchanged, reporting nothing', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const quota = defineAgent({
      name: 'quota',
      run: async (): Promise<string> => {
        throw new WorkflowError('quota_exceeded', 'You have used this month’s drafts')
      },
    })
    const declining = defineWorkflow({
      name: 'declining',
      agents: { quota },
      run: async function* ({ agents }) {
        try {
          yield* agents.quota()
        } catch {
          // Caught: the run goes on to fail with an error of the body's own.
        }
        throw new StepFailedError('quota', 'Drafting is closed today')
      },
    })
    const onError = vi.fn()
    const errorMessage = vi.fn(() => 'masked')
    for (const options of [{ onError }, { onError, errorMessage }]) {
      const { send } = await serve({ workflow: declining, ...options })
      const { events } = await send({ input: null })
      expect(stepError(events)).toEqual({ name: 'WorkflowError', message: 'You have used this month’s drafts' })
      expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: 'Drafting is closed today' })
    }
    expect(onError).not.toHaveBeenCalled()
    expect(errorMessage).not.toHaveBeenCalled()
  })

  it("shows mockAgent's scripted failure as it is: a demo's failure is meant for its users", async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const flaky = mockAgent({ name: 'flaky', text: 'half a draft', result: () => 'never', fail: 'The publisher is offline' })
    const seen: unknown[] = []
    const workflow = defineWorkflow({
      name: 'demo',
      agents: { flaky },
      run: async function* ({ agents }) {
        try {
          yield* agents.flaky()
        } catch (error) {
          seen.push(error)
        }
        return yield* agents.flaky()
      },
    })
    const onError = vi.fn()
    const { send } = await serve({ workflow, onError })
    const { events } = await send({ input: null })
    expect(stepError(events)).toEqual({ name: 'StepFailedError', message: 'The publisher is offline' })
    expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: 'The publisher is offline' })
    // What a body catches is a failed step, as for any agent that throws.
    expect(seen).toEqual([expect.any(StepFailedError)])
    expect(seen[0]).toMatchObject({ code: 'step_failed', stepName: 'flaky', message: 'The publisher is offline' })
    expect(onError).not.toHaveBeenCalled()
  })

  it('resumes a run with the same masked events it was first sent', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const onError = vi.fn()
    const { send } = await serve({ workflow: uncaught, onError })
    const started = await send({ input: null })
    const resumed = await send({ runId: runIdOf(started), startIndex: 0 })
    expect(resumed.events).toEqual(started.events)
    expect(stepError(resumed.events)).toEqual({ name: 'Error', message: 'Step "lookup" failed' })
    // Masked once, when written: reading the log again reports nothing more.
    expect(onError).toHaveBeenCalledTimes(1)
  })
})

/**
 * Catches its step's failure, keeps what it saw on the server (never in the
 * state, which clients see), pauses, then throws what it caught.
 */
function catchingThenRethrowing() {
  const seen: unknown[] = []
  const workflow = defineWorkflow({
    name: 'catching',
    agents: { lookup },
    run: async function* ({ agents }) {
      let caught: unknown
      try {
        yield* agents.lookup()
      } catch (error) {
        caught = error
      }
      // Runs live, then again when the approval rebuilds the run from its journal.
      seen.push(caught)
      yield* approve({ title: 'Go on?' })
      throw caught
    },
  })
  return { workflow, seen }
}

describe('the body', () => {
  it('catches the real error, live and rebuilt in another process, while clients see it masked even when it is rethrown after the pause', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { workflow, seen } = catchingThenRethrowing()
    const onError = vi.fn()
    const store: RunStore = inMemoryRunStore()
    const here = await serve({ workflow, runStore: store, onError })
    const elsewhere = await serve({ workflow, runStore: jsonJournal(store), onError })
    const paused = await here.send({ input: null })
    const approved = await elsewhere.send({ runId: runIdOf(paused), approval: { approvalId: approvalIdOf(paused), approved: true } })

    expect(seen).toHaveLength(2)
    for (const error of seen) {
      expect(error).toBeInstanceOf(StepFailedError)
      expect(error).toMatchObject({ message: `connect ECONNREFUSED ${SECRET}`, stepName: 'lookup', cause: { name: 'DatabaseError' } })
    }
    expect(stepError(paused.events)).toEqual({ name: 'Error', message: 'Step "lookup" failed' })
    expect(lastEvent(approved.events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: 'Step "lookup" failed' })
    expect(JSON.stringify([...paused.events, ...approved.events])).not.toContain('hunter2')
    expect(onError).toHaveBeenCalledTimes(1)
  })
})

describe('a custom errorMessage', () => {
  it('words every unexpected error, in any environment, told the run, workflow and step', async () => {
    vi.stubEnv('NODE_ENV', 'development')
    const errorMessage = vi.fn((error: unknown, context: { stepName?: string }) =>
      error instanceof DatabaseError ? `Our database is resting${context.stepName ? ` (${context.stepName})` : ''}` : 'Something went wrong',
    )
    const onError = vi.fn()
    const { send } = await serve({ workflows: { uncaught, 'body-throws': bodyThrows }, errorMessage, onError })

    const failedStep = await send({ workflow: 'uncaught', input: null })
    expect(stepError(failedStep.events)).toEqual({ name: 'Error', message: 'Our database is resting (lookup)' })
    expect(lastEvent(failedStep.events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: 'Our database is resting (lookup)' })
    const failedBody = await send({ workflow: 'body-throws', input: null })
    expect(lastEvent(failedBody.events)).toMatchObject({ type: 'RUN_ERROR', code: 'internal', message: 'Our database is resting' })

    // Once per error: the run's RUN_ERROR reuses what its failed step was worded.
    expect(errorMessage.mock.calls).toEqual([
      [expect.any(DatabaseError), { runId: runIdOf(failedStep), workflow: 'uncaught', stepName: 'lookup' }],
      [expect.any(DatabaseError), { runId: runIdOf(failedBody), workflow: 'body-throws' }],
    ])
    // The host's errorMessage does its own reporting.
    expect(onError).not.toHaveBeenCalled()
  })

  it('falls back to the generic message when it throws, and reports both errors', async () => {
    const broken = new Error('errorMessage is broken')
    const onError = vi.fn()
    const { send } = await serve({
      workflow: bodyThrows,
      errorMessage: () => {
        throw broken
      },
      onError,
    })
    const { events } = await send({ input: null })
    expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'internal', message: 'Internal error' })
    expect(onError.mock.calls).toEqual([[expect.any(DatabaseError)], [broken]])
  })

  it('falls back to the generic message when it returns no string (plain JavaScript), and reports why', async () => {
    const onError = vi.fn()
    const { send } = await serve({ workflow: bodyThrows, errorMessage: (() => undefined) as unknown as () => string, onError })
    const { events } = await send({ input: null })
    expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'internal', message: 'Internal error' })
    expect(onError.mock.calls).toEqual([[expect.any(DatabaseError)], [expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/must return a string/) })]])
  })
})

describe('in development (any NODE_ENV but production)', () => {
  it("sends the error's own name and message, as before, and reports nothing", async () => {
    vi.stubEnv('NODE_ENV', 'development')
    const onError = vi.fn()
    const { send } = await serve({ workflow: uncaught, onError })
    const { events } = await send({ input: null })
    expect(stepError(events)).toEqual({ name: 'DatabaseError', message: `connect ECONNREFUSED ${SECRET}` })
    expect(lastEvent(events)).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: `connect ECONNREFUSED ${SECRET}` })
    expect(onError).not.toHaveBeenCalled()
  })
})
