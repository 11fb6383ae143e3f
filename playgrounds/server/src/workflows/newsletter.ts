import { publishSignal } from '@stepstream/playground-shared'
import { defineWorkflow, succeed, waitForSignal } from '@stepstream/server'
import type { DemoAgents } from '../agents.js'
import { TopicInput } from './input.js'

export interface NewsletterState {
  topic: string
  phase: 'drafting' | 'waiting-for-slot' | 'publishing' | 'published'
  slot: string | null
}

/**
 * A workflow that pauses on `waitForSignal` rather than an approval: it
 * drafts, then waits for someone (or some other system) to send the
 * `publish-slot` signal, then publishes in that slot.
 */
export function newsletterWorkflow(agents: Pick<DemoAgents, 'writer' | 'publisher'>) {
  return defineWorkflow({
    name: 'newsletter',
    input: TopicInput,
    initialize: ({ topic }): NewsletterState => ({ topic, phase: 'drafting', slot: null }),
    agents,
    run: async function* ({ input, state, agents }) {
      const draft = yield* agents.writer({ topic: input.topic })
      state.phase = 'waiting-for-slot'
      const { slot } = yield* waitForSignal<{ slot?: unknown }>(publishSignal.name, {
        meta: { prompt: 'Pick a slot to publish the newsletter in.' },
      })
      state.slot = typeof slot === 'string' ? slot : 'now'
      state.phase = 'publishing'
      const { url } = yield* agents.publisher({ topic: input.topic, slot: state.slot })
      state.phase = 'published'
      return succeed({ article: { title: draft.title, body: draft.body, revisions: 0, url } })
    },
  })
}
