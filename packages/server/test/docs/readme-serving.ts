import { createServer } from 'node:http'
import { createWorkflowHandler, inMemoryRunStore, toNodeListener } from '@stepstream/server'

const handler = createWorkflowHandler({
  workflows: { article, feature }, // or `workflow: article`; bodies pick one with `workflow`
  runStore: inMemoryRunStore({ ttl: 60 * 60 * 1000 }),
  authorize: (request, { action, runId }) => request.headers.get('authorization') === 'Bearer secret',
  maxBodyBytes: 1024 * 1024,
  heartbeatMs: 15_000,
})

createServer(toNodeListener(handler)).listen(3000)
// Fetch-style hosts (Next.js route handlers, Hono, Bun, Deno): export `handler` as is.

// ---- Not in the README: the workflows it serves.
import { article } from './readme-authoring.js'
import { feature } from './readme-feature.js'
