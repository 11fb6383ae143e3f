import { z } from 'zod'
import { approve, defineAgent, defineWorkflow, fail, mockAgent, succeed } from '@stepstream/server'

const writer = mockAgent({
  name: 'writer',
  input: z.object({ topic: z.string(), feedback: z.string().optional() }),
  output: z.object({ draft: z.string() }),
  text: ({ topic }) => `Here is a short piece about ${topic}.`,
  result: ({ topic }) => ({ draft: `All about ${topic}` }),
  chunkDelayMs: 30,
})

// A real agent: return the output, a promise of it, `{ stream, output }`
// (text deltas and AG-UI events now, output later) or a bare text stream.
const editor = defineAgent({
  name: 'editor',
  input: z.object({ draft: z.string() }),
  output: z.object({ article: z.string() }),
  run: async ({ input, signal }) => ({ article: input.draft.trim() }),
})

export const article = defineWorkflow({
  name: 'article',
  input: z.object({ topic: z.string() }),
  // Optional: without it the output type is inferred from what `run` returns.
  output: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), article: z.string() }),
    z.object({ ok: z.literal(false), reason: z.string() }),
  ]),
  initialize: () => ({ revisions: 0 }),
  agents: { writer, editor },
  run: async function* ({ input, state, agents, emit }) {
    let feedback: string | undefined
    for (;;) {
      const { draft } = yield* agents.writer({ topic: input.topic, feedback }) // typed from writer's schemas
      state.revisions += 1 // streamed as one STATE_DELTA at the next yield
      const decision = yield* approve({ title: 'Publish?', description: draft })
      if (decision.approved) {
        const { article } = yield* agents.editor({ draft })
        return succeed({ article }) // output: { ok: true, article }
      }
      if (state.revisions >= 3) return fail('Too many revisions') // output: { ok: false, reason }; the run still finishes
      feedback = decision.feedback
      emit('revision-requested', { feedback })
    }
  },
})
