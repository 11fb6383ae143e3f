/**
 * Agents and bodies may throw anything: SDKs throw plain objects with a
 * `message`, code throws numbers. Outside production what they said is the
 * only clue a developer gets (nothing is reported to onError there), so it
 * must reach the events; a value with nothing to say reads `Unknown error`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createWorkflowHandler, defineAgent, defineWorkflow } from '@stepstream/server'
import { eventsOfType, post } from './helpers.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

async function failingStep(thrown: unknown) {
  const failing = defineAgent({
    name: 'failing',
    run: async (): Promise<string> => {
      throw thrown
    },
  })
  const workflow = defineWorkflow({
    name: 'throws',
    agents: { failing },
    run: async function* ({ agents }) {
      return yield* agents.failing()
    },
  })
  const { events } = await post(createWorkflowHandler({ workflow }), { input: null })
  return { step: eventsOfType(events, 'STEP_FINISHED')[0]!.metadata!.error, end: events.at(-1)!.event }
}

describe('in development, a thrown value that is not an Error', () => {
  it.each([
    ['a plain object with a message', { message: 'rate limited', status: 429 }, 'rate limited'],
    ['a number', 404, '404'],
    ['a boolean', false, 'false'],
    ['a BigInt', 7n, '7'],
  ])('says what %s says', async (_what, thrown, message) => {
    vi.stubEnv('NODE_ENV', 'development')
    const { step, end } = await failingStep(thrown)
    expect(step).toEqual({ name: 'Error', message })
    expect(end).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message })
  })

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an object without a message', { status: 500 }],
    ['an object whose message getter throws', Object.defineProperty({}, 'message', { get: () => { throw new Error('no') } })],
  ])('reads Unknown error for %s', async (_what, thrown) => {
    vi.stubEnv('NODE_ENV', 'development')
    const { step } = await failingStep(thrown)
    expect(step).toEqual({ name: 'Error', message: 'Unknown error' })
  })
})
