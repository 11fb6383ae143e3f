import { z } from 'zod'
import { approve, defineWorkflow, fail, mockAgent, succeed } from '@stepstream/server'

/** The TanStack AI blog's article workflow, on scripted agents. */
export function articleWorkflow(options: { chunkDelayMs?: number } = {}) {
  const writer = mockAgent({
    name: 'writer',
    input: z.object({ topic: z.string() }),
    output: z.object({ draft: z.string() }),
    text: ({ topic }) => `A first draft about ${topic} with several words to stream`,
    result: ({ topic }) => ({ draft: `Draft about ${topic}` }),
    chunkDelayMs: options.chunkDelayMs,
  })
  const editor = mockAgent({
    name: 'editor',
    input: z.object({ draft: z.string(), feedback: z.string().optional() }),
    output: z.object({ article: z.string() }),
    text: ({ feedback }) => (feedback ? `Revised with: ${feedback}` : 'Polished the draft'),
    result: ({ draft, feedback }) => ({ article: feedback ? `${draft} (revised: ${feedback})` : `${draft} (polished)` }),
    chunkDelayMs: options.chunkDelayMs,
  })
  return defineWorkflow({
    name: 'article',
    input: z.object({ topic: z.string().min(1) }),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), article: z.string() }),
      z.object({ ok: z.literal(false), reason: z.string() }),
    ]),
    agents: { writer, editor },
    initialize: () => ({ phase: 'writing', revisions: 0 }),
    run: async function* ({ input, agents, state }) {
      const { draft } = yield* agents.writer({ topic: input.topic })
      state.phase = 'editing'
      let edited = yield* agents.editor({ draft })
      for (;;) {
        state.phase = 'review'
        const decision = yield* approve({ title: 'Publish this article?', description: edited.article })
        if (decision.approved) break
        if (!decision.feedback) return fail('Rejected by the reviewer')
        state.revisions += 1
        edited = yield* agents.editor({ draft, feedback: decision.feedback })
      }
      state.phase = 'published'
      return succeed({ article: edited.article })
    },
  })
}
