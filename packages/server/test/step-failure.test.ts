/**
 * An agent that throws an error of its own (a class with a name, a `code`,
 * a `cause`): what the log says, what the journal keeps, and what a body that
 * catches it gets, live and when the run is rebuilt to apply a later decision
 * (the body runs again from the journal and catches the recorded failure).
 */
import { describe, expect, it } from 'vitest'
import {
  approve,
  createWorkflowHandler,
  defineAgent,
  defineWorkflow,
  inMemoryRunStore,
  StepFailedError,
  WorkflowError,
  type Agent,
} from '@stepstream/server'
import { approvalIdOf, eventsOfType, jsonJournal, post, runIdOf } from './helpers.js'

class QuotaError extends Error {
  override name = 'QuotaError'
  readonly code = 'E_QUOTA'
}

class BusyError extends WorkflowError {
  override name = 'BusyError'
}

/** What a body can tell about an error it caught, as JSON so live and rebuilt compare. */
function describeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 3) return error
  const { name, message, cause } = error
  const code = (error as { code?: unknown }).code
  const stepName = error instanceof StepFailedError ? error.stepName : undefined
  return { name, message, code, stepName, isStepFailed: error instanceof StepFailedError, cause: describeError(cause, depth + 1) }
}

/** Catches what its step throws, remembers it, then pauses; `nested` puts the agent in a workflow of the same name. */
function catchingWorkflow(thrown: () => unknown, nested = false) {
  const seen: unknown[] = []
  const agent = defineAgent({
    name: 'quota',
    run: async () => {
      throw thrown()
    },
  })
  // Inside it, the agent's step is open beside the nested one of the same name, so it is renamed "quota (2)".
  const quota: Agent = nested
    ? defineWorkflow({
        name: 'quota',
        agents: { quota: agent },
        run: async function* ({ agents }) {
          return yield* agents.quota()
        },
      })
    : agent
  const workflow = defineWorkflow({
    name: 'catching',
    agents: { quota },
    run: async function* ({ agents }) {
      let caught: unknown
      try {
        yield* agents.quota()
      } catch (error) {
        caught = describeError(error)
      }
      // Runs live, then again when the approval rebuilds the run.
      seen.push(caught)
      yield* approve({ title: 'Go on?' })
      return caught
    },
  })
  return { workflow, seen }
}

async function startThenApproveElsewhere(workflow: ReturnType<typeof catchingWorkflow>['workflow']) {
  const store = inMemoryRunStore()
  const paused = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
  const approved = await post(createWorkflowHandler({ workflow, runStore: jsonJournal(store) }), {
    runId: runIdOf(paused),
    approval: { approvalId: approvalIdOf(paused), approved: true },
  })
  return { paused, approved, steps: await store.readSteps(runIdOf(paused)) }
}

describe('an agent throwing an error of its own', () => {
  const quotaError = () => new QuotaError('Quota exceeded', { cause: Object.assign(new TypeError('fetch failed'), { code: 'ECONNRESET' }) })

  it('fails its step with the error name and message on the wire, JSON only', async () => {
    const { workflow } = catchingWorkflow(quotaError)
    const { paused } = await startThenApproveElsewhere(workflow)
    const [finished] = eventsOfType(paused.events, 'STEP_FINISHED')
    expect(finished!.metadata).toMatchObject({ error: { name: 'QuotaError', message: 'Quota exceeded' } })
    expect(JSON.parse(JSON.stringify(paused.events))).toEqual(paused.events)
  })

  it('gives the body a StepFailedError whose cause is the error, live', async () => {
    const { workflow, seen } = catchingWorkflow(quotaError)
    await startThenApproveElsewhere(workflow)
    expect(seen[0]).toEqual({
      name: 'StepFailedError',
      message: 'Quota exceeded',
      code: 'step_failed',
      stepName: 'quota',
      isStepFailed: true,
      cause: {
        name: 'QuotaError',
        message: 'Quota exceeded',
        code: 'E_QUOTA',
        stepName: undefined,
        isStepFailed: false,
        cause: { name: 'TypeError', message: 'fetch failed', code: 'ECONNRESET', stepName: undefined, isStepFailed: false, cause: undefined },
      },
    })
  })

  it.each([
    ['an Error subclass with a code and a cause', quotaError],
    ['a plain string', () => 'out of quota'],
    ['an Error whose cause is a JSON value', () => new Error('refused', { cause: { status: 429, retryAfter: 3 } })],
    ['an Error with a numeric code', () => Object.assign(new Error('teapot'), { code: 418 })],
    ['a WorkflowError subclass with a cause', () => new BusyError('timeout', 'Model busy', { cause: new Error('503') })],
  ])('gives a rebuilt body the same error as the live one: %s', async (_, thrown) => {
    const { workflow, seen } = catchingWorkflow(thrown)
    const { approved, steps } = await startThenApproveElsewhere(workflow)
    expect(seen).toHaveLength(2)
    expect(seen[1]).toEqual(seen[0])
    expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: JSON.parse(JSON.stringify(seen[0])) })
    // The journal holds only JSON.
    expect(JSON.parse(JSON.stringify(steps))).toEqual(steps)
  })

  it('keeps the renamed step name of a failure inside a nested workflow of the same name', async () => {
    const { workflow, seen } = catchingWorkflow(quotaError, true)
    await startThenApproveElsewhere(workflow)
    expect(seen[0]).toMatchObject({ name: 'StepFailedError', stepName: 'quota (2)', cause: { name: 'QuotaError', code: 'E_QUOTA' } })
    expect(seen[1]).toEqual(seen[0])
  })
})
