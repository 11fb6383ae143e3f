import { WorkflowClient, fetchWorkflowEvents } from '@stepstream/client'

const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow') })
client.subscribe((state) => {
  render(state.status, state.steps, state.currentText, state.pendingApproval, state.output)
})
await client.start({ topic: 'rivers' })   // resolves when the run pauses or ends
if (client.state.pendingApproval) await client.approve(true)

// ---- Not in the README: what the example leaves to the app.
import { rendered } from './app.js'

function render(...fields: unknown[]): void {
  rendered.push(fields)
}
