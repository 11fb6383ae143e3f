import { z } from 'zod'
import { approve, defineWorkflow, mockAgent, succeed } from '@stepstream/server'

export const approvalInput = z.object({ topic: z.string().min(1) })

const WRITER_WORDS = 'The river bends past the old mill where herons wait and the water slows to a mirror under willows'
const PUBLISHER_WORDS = 'Published to the front page with a photo of the mill at dawn'

/**
 * A start segment (a streaming writer, state deltas, a user event, the
 * approval pause) and an approve segment (the decision step, a second
 * streaming agent, more deltas, the end). No delays: many runs share one
 * server, and cuts are made by the proxy, not by timing.
 */
export function approvalWorkflow() {
  const writer = mockAgent({
    name: 'writer',
    input: z.object({ topic: z.string() }),
    output: z.object({ draft: z.string() }),
    text: ({ topic }) => `${topic}: ${WRITER_WORDS}`,
    result: ({ topic }) => ({ draft: `${topic} draft` }),
  })
  const publisher = mockAgent({
    name: 'publisher',
    input: z.object({ draft: z.string() }),
    output: z.object({ url: z.string() }),
    text: PUBLISHER_WORDS,
    result: ({ draft }) => ({ url: `/articles/${draft.length}` }),
  })
  return defineWorkflow({
    name: 'approval',
    input: approvalInput,
    agents: { writer, publisher },
    initialize: () => ({ phase: 'writing', notes: [] as string[], revisions: 0 }),
    run: async function* ({ input, agents, state, emit }) {
      const { draft } = yield* agents.writer({ topic: input.topic })
      state.phase = 'review'
      state.notes.push('drafted')
      emit('draft-ready', { length: draft.length })
      const decision = yield* approve({ title: 'Publish this draft?', description: draft })
      state.phase = decision.approved ? 'publishing' : 'rejected'
      state.notes.push(decision.approved ? 'approved' : 'rejected')
      const { url } = yield* agents.publisher({ draft })
      state.phase = 'done'
      // succeed() keeps working whichever result shape the server settles on.
      return succeed({ url, approved: decision.approved })
    },
  })
}
