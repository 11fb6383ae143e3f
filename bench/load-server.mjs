// The server side of the load benchmark, in its own process so the 500
// clients' parsing does not skew its figures. Serves a ~200-event workflow,
// with a short TTL so the runs are released while the bench watches, and
// answers memory probes over IPC.
import { createServer } from 'node:http'
import { createWorkflowHandler, defineWorkflow, inMemoryRunStore, mockAgent, succeed, toNodeListener } from '@stepstream/server'

const ttl = Number(process.env.LOAD_TTL_MS ?? 2000)
const wordsPerStep = Number(process.env.LOAD_WORDS_PER_STEP ?? 62)
const chunkDelayMs = Number(process.env.LOAD_CHUNK_DELAY_MS ?? 2)

const words = Array.from({ length: wordsPerStep }, (_, i) => `w${i}`).join(' ')
const agent = (name) => mockAgent({ name, text: words, result: () => ({ name, words: wordsPerStep }), chunkDelayMs })

// Three streaming steps with a state change after each: about 200 events.
const workflow = defineWorkflow({
  name: 'load',
  agents: { research: agent('research'), draft: agent('draft'), polish: agent('polish') },
  initialize: () => ({ done: [] }),
  run: async function* ({ agents, state }) {
    for (const step of ['research', 'draft', 'polish']) {
      yield* agents[step]()
      state.done.push(step)
    }
    return succeed({ steps: state.done.length })
  },
})

const store = inMemoryRunStore({ ttl })
const server = createServer(toNodeListener(createWorkflowHandler({ workflow, runStore: store })))
server.keepAliveTimeout = 30_000

function memory() {
  const { rss, heapUsed } = process.memoryUsage()
  const { user, system } = process.cpuUsage()
  return { rss, heapUsed, cpuMs: (user + system) / 1000, ...store.stats() }
}

process.on('message', (message) => {
  if (message === 'gc') globalThis.gc?.()
  if (message === 'gc' || message === 'probe') process.send({ type: 'probe', ...memory() })
  if (message === 'exit') server.close(() => process.exit(0))
})

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port })
})
