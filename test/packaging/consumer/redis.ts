// The README's "several server processes" example: @stepstream/redis's store
// must be a RunStore of the @stepstream/server the consumer installed.
import { createServer, type Server } from 'node:http'
import { approve, createWorkflowHandler, defineWorkflow, mockAgent, now, toNodeListener } from '@stepstream/server'
import { redisRunStore } from '@stepstream/redis'

const writer = mockAgent({ name: 'writer', text: 'A short piece about rivers.', result: () => ({ draft: 'About rivers' }) })

const article = defineWorkflow({
  name: 'article',
  agents: { writer },
  run: async function* ({ agents }) {
    const startedAt = yield* now()
    const { draft } = yield* agents.writer()
    const { approved } = yield* approve({ title: 'Publish?', description: draft })
    return { article: approved ? draft : 'rejected', startedAt }
  },
})

export function serve(port: number, url: string): Server {
  const runStore = redisRunStore({ url, ttl: 24 * 60 * 60 * 1000, leaseTtl: 10_000 })
  return createServer(toNodeListener(createWorkflowHandler({ workflow: article, runStore }))).listen(port, '127.0.0.1')
}
