// The README's server quick start, as a consumer writes it against the
// installed @stepstream/server (checked, never run: run.mjs runs the same workflow).
import { createServer, type Server } from 'node:http'
import { z } from 'zod'
import { approve, createWorkflowHandler, defineWorkflow, mockAgent, succeed, toNodeListener } from '@stepstream/server'

const writer = mockAgent({
  name: 'writer',
  input: z.object({ topic: z.string() }),
  text: ({ topic }) => `A short piece about ${topic}.`,
  result: ({ topic }) => ({ draft: `About ${topic}` }),
})

export const article = defineWorkflow({
  name: 'article',
  input: z.object({ topic: z.string() }),
  agents: { writer },
  run: async function* ({ input, agents }) {
    const { draft } = yield* agents.writer({ topic: input.topic })
    const { approved } = yield* approve({ title: 'Publish?', description: draft })
    return succeed({ article: approved ? draft : 'rejected' })
  },
})

export function serve(port: number): Server {
  return createServer(toNodeListener(createWorkflowHandler({ workflow: article }))).listen(port, '127.0.0.1')
}
