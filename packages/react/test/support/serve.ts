import { createWorkflowHandler, inMemoryRunStore } from '@stepstream/server'
import { localWorkflowEvents } from '@stepstream/react'
import { articleWorkflow, type ArticleWorkflowOptions } from './article-workflow.js'
import { recordingHandler } from './recording-handler.js'

const URL = 'http://localhost/api/workflow'

function post(handler: (request: Request) => Promise<Response>, body: unknown): Promise<Response> {
  return handler(new Request(URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
}

/**
 * The article workflow on the reference server, in process: a recording
 * handler, a client connection to it, and helpers that talk to the server
 * directly (as another tab or a server job would).
 */
export function serveArticles(options?: ArticleWorkflowOptions) {
  const server = createWorkflowHandler({ workflow: articleWorkflow(options), runStore: inMemoryRunStore() })
  const recording = recordingHandler(server)
  const runIds = new Set<string>()
  return {
    ...recording,
    connection: localWorkflowEvents(recording.handler),
    /** Starts a run without a client; the run goes on with nobody reading. */
    async startRun(topic = 'runs without a reader'): Promise<string> {
      const runId = crypto.randomUUID()
      runIds.add(runId)
      const response = await post(server, { input: { topic }, runId })
      await response.body?.cancel()
      return runId
    },
    /** Ends every run a test left streaming, so no server timer outlives it. */
    async abortAll(): Promise<void> {
      for (const request of recording.requests) if (typeof request.body?.runId === 'string') runIds.add(request.body.runId)
      for (const runId of runIds) await post(server, { runId, abort: true })
    },
  }
}
