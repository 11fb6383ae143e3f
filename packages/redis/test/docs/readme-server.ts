// server.ts: run as many copies as you like (PORT=3001, PORT=3002, …).
import { createServer } from 'node:http'
import { approve, createWorkflowHandler, defineWorkflow, mockAgent, now, toNodeListener } from '@stepstream/server'
import { redisRunStore } from '@stepstream/redis'

const writer = mockAgent({ name: 'writer', text: 'A short piece about rivers.', result: () => ({ draft: 'About rivers' }) })

const article = defineWorkflow({
  name: 'article',
  agents: { writer },
  run: async function* ({ agents }) {
    const startedAt = yield* now() // not Date.now(): a replay must see the same value
    const { draft } = yield* agents.writer()
    const { approved } = yield* approve({ title: 'Publish?', description: draft })
    return { article: approved ? draft : 'rejected', startedAt }
  },
})

const runStore = redisRunStore({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ttl: 24 * 60 * 60 * 1000, // finished and paused runs are kept a day after their last change
  leaseTtl: 10_000, // a crashed process's running runs end with executor_lost when next read (open streams: within ~20 s); unread, they are dropped within a day + 10 s
})

createServer(toNodeListener(createWorkflowHandler({ workflow: article, runStore }))).listen(Number(process.env.PORT ?? 3000), '127.0.0.1')
