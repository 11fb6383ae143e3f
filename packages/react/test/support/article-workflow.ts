import { approve, defineWorkflow, fail, mockAgent, succeed } from '@stepstream/server'
import { z } from 'zod'

// The schemas of the TanStack AI blog post, shared by server and client.
export const ArticleSchema = z.object({ title: z.string(), body: z.string() })
export const ArticleInputSchema = z.object({ topic: z.string() })
export const ArticleWorkflowOutputSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), article: ArticleSchema }),
  z.object({ ok: z.literal(false), reason: z.string() }),
])

export interface ArticleWorkflowOptions {
  /** Whether the editor passes the draft (the blog's first rejection path). */
  editorApproves?: boolean
  /** Words the writer streams before its result. */
  draftWords?: number
  /** Pause between streamed words. */
  chunkDelayMs?: number
}

/**
 * The blog's article workflow on our reference server, with scripted agents
 * in place of the model calls and the blog's revision loop for "Request
 * changes".
 */
export function articleWorkflow({ editorApproves = true, draftWords = 12, chunkDelayMs = 0 }: ArticleWorkflowOptions = {}) {
  const writer = mockAgent({
    name: 'writer',
    input: z.object({ topic: z.string() }),
    output: ArticleSchema,
    text: ({ topic }) => Array.from({ length: draftWords }, (_, i) => (i === 0 ? `Drafting "${topic}":` : `word${i}`)).join(' '),
    result: ({ topic }) => ({ title: topic, body: 'Typed steps make streaming UIs predictable.' }),
    chunkDelayMs,
  })
  const editor = mockAgent({
    name: 'editor',
    input: z.object({ article: ArticleSchema, feedback: z.string().optional() }),
    output: z.object({ approved: z.boolean(), article: ArticleSchema, notes: z.string() }),
    text: ({ feedback }) => (feedback ? `Applying feedback: ${feedback}` : 'Editing for clarity.'),
    result: ({ article, feedback }) => ({
      approved: editorApproves,
      article: feedback ? { ...article, body: `${article.body} (revised: ${feedback})` } : article,
      notes: editorApproves ? 'Clear and practical.' : 'Too vague to publish.',
    }),
    chunkDelayMs,
  })
  return defineWorkflow({
    name: 'article-workflow',
    input: ArticleInputSchema,
    output: ArticleWorkflowOutputSchema,
    agents: { writer, editor },
    run: async function* ({ input, agents }) {
      const draft = yield* agents.writer({ topic: input.topic })
      const edited = yield* agents.editor({ article: draft })
      if (!edited.approved) {
        return fail(edited.notes)
      }

      const decision = yield* approve({
        title: `Publish "${edited.article.title}"?`,
        description: edited.notes,
      })
      if (decision.approved) {
        return succeed({ article: edited.article })
      }
      if (!decision.feedback) {
        return fail('Publication declined')
      }

      // "Request changes": the blog's revision loop, one round.
      const revised = yield* agents.editor({ article: edited.article, feedback: decision.feedback })
      return succeed({ article: revised.article })
    },
  })
}
