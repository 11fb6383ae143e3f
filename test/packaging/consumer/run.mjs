// Run by the packaging test with plain Node in the consumer, so every import
// resolves from the installed tarballs: the README's article workflow served
// over real HTTP, followed to the end by the headless client, with an
// approval in between. Prints what it saw as one JSON line; the test asserts.
import { once } from 'node:events'
import { createServer } from 'node:http'
import { WorkflowClient, fetchWorkflowEvents } from '@stepstream/client'
import { workflowEventSchema } from '@stepstream/protocol/schemas'
import { approve, createWorkflowHandler, defineWorkflow, mockAgent, succeed, toNodeListener } from '@stepstream/server'
import { z } from 'zod'

const writer = mockAgent({
  name: 'writer',
  input: z.object({ topic: z.string() }),
  text: ({ topic }) => `A short piece about ${topic}.`,
  result: ({ topic }) => ({ draft: `About ${topic}` }),
})

const article = defineWorkflow({
  name: 'article',
  input: z.object({ topic: z.string() }),
  agents: { writer },
  run: async function* ({ input, agents }) {
    const { draft } = yield* agents.writer({ topic: input.topic })
    const { approved } = yield* approve({ title: 'Publish?', description: draft })
    return succeed({ article: approved ? draft : 'rejected' })
  },
})

const server = createServer(toNodeListener(createWorkflowHandler({ workflow: article })))
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const { port } = server.address()

const events = []
const client = new WorkflowClient({
  connection: fetchWorkflowEvents(`http://127.0.0.1:${port}/api/workflow`),
  onEvent: (event) => events.push(event),
})
try {
  const paused = await client.start({ topic: 'rivers' })
  const pendingApproval = paused.pendingApproval
  const finished = await client.approve(true)
  const invalidEvents = events.filter((event) => !workflowEventSchema.safeParse(event).success).map((event) => event.type)
  const { status, output, error, steps } = finished
  console.log(JSON.stringify({ pausedStatus: paused.status, pendingApproval, status, output, error, steps: steps.map((step) => [step.stepName, step.status, step.text]), eventCount: events.length, invalidEvents }))
} finally {
  client.dispose()
  server.closeAllConnections()
  server.close()
}
