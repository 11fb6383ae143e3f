import { scheduledSleepMs } from '@stepstream/playground-shared'
import { defineWorkflow, sleep, succeed } from '@stepstream/server'
import type { DemoAgents } from '../agents.js'
import { TopicInput } from './input.js'

export interface ScheduledState {
  topic: string
  phase: 'drafting' | 'sleeping' | 'publishing' | 'published'
}

/**
 * A workflow that pauses on `sleep()`: it drafts, sleeps a few seconds, then
 * publishes. Nobody can end a sleep but its deadline, so the page shows the
 * pause with that deadline and then follows the run again by itself.
 */
export function scheduledWorkflow(agents: Pick<DemoAgents, 'writer' | 'publisher'>) {
  return defineWorkflow({
    name: 'scheduled',
    input: TopicInput,
    initialize: ({ topic }): ScheduledState => ({ topic, phase: 'drafting' }),
    agents,
    run: async function* ({ input, state, agents }) {
      const draft = yield* agents.writer({ topic: input.topic })
      state.phase = 'sleeping'
      yield* sleep(scheduledSleepMs)
      state.phase = 'publishing'
      const { url } = yield* agents.publisher({ topic: input.topic, slot: 'scheduled' })
      state.phase = 'published'
      return succeed({ article: { title: draft.title, body: draft.body, revisions: 0, url } })
    },
  })
}
