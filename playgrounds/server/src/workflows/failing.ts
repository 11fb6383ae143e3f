import { defineWorkflow, succeed } from '@stepstream/server'
import type { DemoAgents } from '../agents.js'
import { TopicInput } from './input.js'

export interface FailingState {
  topic: string
  phase: 'drafting' | 'publishing' | 'published'
}

/**
 * The error path on purpose: the draft is written, then the publisher fails.
 * Its failure is not caught, so the step finishes failed and the run ends
 * with `RUN_ERROR step_failed`.
 */
export function failingWorkflow(agents: Pick<DemoAgents, 'writer' | 'unreachablePublisher'>) {
  return defineWorkflow({
    name: 'failing',
    input: TopicInput,
    initialize: ({ topic }): FailingState => ({ topic, phase: 'drafting' }),
    // Keyed `publisher`: the key is the step's name on the timeline.
    agents: { writer: agents.writer, publisher: agents.unreachablePublisher },
    run: async function* ({ input, state, agents }) {
      const draft = yield* agents.writer({ topic: input.topic })
      state.phase = 'publishing'
      const { url } = yield* agents.publisher({ topic: input.topic })
      state.phase = 'published'
      return succeed({ article: { title: draft.title, body: draft.body, revisions: 0, url } })
    },
  })
}
