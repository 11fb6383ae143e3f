/**
 * mockAgent's `fail` throws a StepFailedError named after the agent
 * (fcdf081); the body must still catch one that names the step it called,
 * as it did when the engine wrapped a plain Error: the agent may be listed
 * under another key, or run as a renamed duplicate beside itself.
 */
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, defineWorkflow, mockAgent, StepFailedError } from '@stepstream/server'
import { eventsOfType, post } from './helpers.js'

const flaky = mockAgent({ name: 'flaky', text: 'half a draft', result: () => 'never', fail: 'The publisher is offline' })

describe("mockAgent's scripted failure", () => {
  it('names the step the body called (the key it is listed under), not the agent', async () => {
    const caught: unknown[] = []
    const workflow = defineWorkflow({
      name: 'drafts',
      agents: { draft: flaky },
      run: async function* ({ agents }) {
        try {
          yield* agents.draft()
        } catch (error) {
          caught.push(error)
        }
        return 'done'
      },
    })
    const { events } = await post(createWorkflowHandler({ workflow }), { input: null })
    expect(eventsOfType(events, 'STEP_FINISHED').map((event) => [event.stepName, event.metadata?.error])).toEqual([
      ['draft', { name: 'StepFailedError', message: 'The publisher is offline' }],
    ])
    expect(caught).toHaveLength(1)
    expect(caught[0]).toBeInstanceOf(StepFailedError)
    expect(caught[0]).toMatchObject({ stepName: 'draft', code: 'step_failed', message: 'The publisher is offline' })
  })
})
