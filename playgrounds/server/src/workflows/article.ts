import { approve, defineWorkflow, fail, succeed } from '@stepstream/server'
import { wordCount, type DemoAgents } from '../agents.js'
import { TopicInput } from './input.js'

/** Requests for changes the editor takes before the workflow gives up. */
export const MAX_REVISIONS = 3

export interface ArticleState {
  topic: string
  phase: 'drafting' | 'editing' | 'awaiting-approval' | 'revising' | 'publishing' | 'published' | 'rejected'
  revision: number
  wordCount: number
  feedback: string[]
}

/**
 * The blog post's workflow: writer → editor → approval → publish. Requesting
 * changes sends the draft back through the editor with the feedback, and the
 * revised draft comes up for approval again.
 */
export function articleWorkflow(agents: Pick<DemoAgents, 'writer' | 'editor' | 'publisher'>) {
  return defineWorkflow({
    name: 'article',
    input: TopicInput,
    initialize: ({ topic }): ArticleState => ({ topic, phase: 'drafting', revision: 0, wordCount: 0, feedback: [] }),
    agents,
    run: async function* ({ input, state, agents }) {
      const { topic } = input
      const draft = yield* agents.writer({ topic })
      state.wordCount = wordCount(draft.body)
      state.phase = 'editing'
      let edited = yield* agents.editor({ topic, draft: draft.body, revision: 0 })

      for (;;) {
        state.wordCount = wordCount(edited.body)
        state.phase = 'awaiting-approval'
        const decision = yield* approve({
          title: `Publish "${edited.title}"?`,
          description: `Revision ${state.revision}, ${state.wordCount} words. Approve to publish, or request changes and the editor revises it.`,
        })
        if (decision.approved) break
        const feedback = decision.feedback?.trim()
        if (!feedback || state.revision >= MAX_REVISIONS) {
          state.phase = 'rejected'
          const reason = feedback ? `Still not approved after ${MAX_REVISIONS} revisions` : 'Rejected without feedback'
          return fail(reason)
        }
        state.revision += 1
        state.feedback.push(feedback)
        state.phase = 'revising'
        edited = yield* agents.editor({ topic, draft: edited.body, revision: state.revision, feedback })
      }

      state.phase = 'publishing'
      const { url } = yield* agents.publisher({ topic })
      state.phase = 'published'
      return succeed({ article: { title: edited.title, body: edited.body, revisions: state.revision, url } })
    },
  })
}
