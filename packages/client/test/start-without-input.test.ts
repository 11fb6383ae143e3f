import { describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import { runStarted, runSucceeded } from '@stepstream/protocol'
import { startRequestSchema } from '@stepstream/protocol/schemas'
import { scriptedServer } from './helpers.js'

// The README promises `start()` alone for a workflow that takes no input. The
// start action is keyed on `input` (PROTOCOL §4), and JSON drops an
// `undefined` field, so the body must still carry the key or a real server
// answers 400 invalid_request ("Body has no action").
describe('start() without an input', () => {
  it('sends a start body the protocol recognises, with a null input', async () => {
    const server = scriptedServer({ segments: [[runStarted('run-1'), runSucceeded('run-1', { ok: true })]] })
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }) })
    const state = await client.start()
    expect(state.status).toBe('finished')
    const [request] = server.requests
    expect(request?.body).toHaveProperty('input', null)
    expect(startRequestSchema.safeParse(request?.body).success).toBe(true)
  })

  it('sends an input that is given as it is', async () => {
    const server = scriptedServer({ segments: [[runStarted('run-1'), runSucceeded('run-1', { ok: true })]] })
    const client = new WorkflowClient({ connection: fetchWorkflowEvents('/api/workflow', { fetchClient: server.fetchClient }) })
    await client.start({ topic: 'rivers' })
    expect(server.requests[0]?.body).toHaveProperty('input', { topic: 'rivers' })
  })
})
