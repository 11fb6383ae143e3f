const events = runWorkflow({ workflow: article, runStore, input: { topic: 'owls' } })
for await (const { index, event } of events) send(index, event) // events.runId is known from the first event
// or, for headers first: const { runId, tailIndex } = await events.ready

// ---- Not in the README: what the example leaves to the host.
import { runWorkflow } from '@stepstream/server'
import { article } from './readme-authoring.js'
import { runStore, sent } from './readme-host.js'

function send(index: number, event: unknown): void {
  sent.push({ index, event })
}
