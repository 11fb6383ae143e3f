// The README's headless client, in a browser consumer (DOM lib, no Node types).
import { WorkflowClient, fetchWorkflowEvents, reduceWorkflowEvent, type WorkflowClientState } from '@stepstream/client'
import { z } from 'zod'

declare function render(...parts: unknown[]): void

const client = new WorkflowClient({
  input: z.object({ topic: z.string() }),
  output: z.object({ article: z.string() }),
  connection: fetchWorkflowEvents('/api/workflow', { headers: () => ({ authorization: 'Bearer token' }) }),
})
client.subscribe((state) => {
  render(state.status, state.steps, state.currentText, state.pendingApproval, state.output?.article)
})

export async function write(): Promise<string | undefined> {
  await client.start({ topic: 'rivers' })
  if (client.state.pendingApproval) await client.approve(true)
  return client.state.output?.article
}

export const replayed: WorkflowClientState = reduceWorkflowEvent(client.state, { type: 'RUN_STARTED', threadId: 't', runId: 'r' })
