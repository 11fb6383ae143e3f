import { WorkflowClient, fetchWorkflowEvents } from '@stepstream/client'
import { z } from 'zod'

const client = new WorkflowClient({
  connection: fetchWorkflowEvents('/api/workflow', { headers: () => ({ authorization: `Bearer ${token()}` }) }),
  input: z.object({ topic: z.string() }),                      // types start()
  output: z.discriminatedUnion('ok', [                          // types state.output
    z.object({ ok: z.literal(true), article: z.string() }),
    z.object({ ok: z.literal(false), reason: z.string() }),
  ]),
  onFinish: (output) => console.log(output.ok ? output.article : output.reason),
})

const unsubscribe = client.subscribe((state) => render(state))
await client.start({ topic: 'rivers' })      // settles when the run pauses or ends
await client.approve(true)                    // or approve(false, 'feedback')

// ---- Not in the README: what the example leaves to the app.
import { rendered } from './app.js'

function token(): string {
  return 'secret'
}

function render(state: unknown): void {
  rendered.push(state)
}
