/**
 * The workflows every server process of the multi-process tests serves (one
 * module, bundled into each child). Agents count their executions in Redis
 * (`<prefix>calls:<agent>`), so a test can prove that no agent ran twice
 * across processes, restarts and replays.
 */
import type { Cluster, Redis } from 'ioredis'
import { approve, defineAgent, defineWorkflow, waitForSignal, type Workflow } from '@stepstream/server'

const WRITER_TEXT = 'The river bends past the old mill where herons wait and the water slows'
const PUBLISHER_TEXT = 'Published to the front page with a photo of the mill at dawn'

export function clusterWorkflows(redis: Redis | Cluster, prefix: string): Record<string, Workflow> {
  const count = (agent: string) => redis.incr(`${prefix}calls:${agent}`)

  const writer = defineAgent({
    name: 'writer',
    // The count starts with the call; the output waits for it.
    run: ({ input }: { input: { topic: string } }) => ({
      stream: words(`${input.topic}: ${WRITER_TEXT}`),
      output: count('writer').then(() => ({ draft: `${input.topic} draft` })),
    }),
  })
  const publisher = defineAgent({
    name: 'publisher',
    run: ({ input }: { input: { draft: string } }) => ({
      stream: words(PUBLISHER_TEXT),
      output: count('publisher').then(() => ({ url: `/articles/${input.draft.length}` })),
    }),
  })

  /** Start segment (writer, state, approval pause) and approve segment (publisher, end). */
  const review = defineWorkflow({
    name: 'review',
    agents: { writer, publisher },
    initialize: () => ({ phase: 'writing', notes: [] as string[] }),
    run: async function* ({ input, agents, state, emit }) {
      const { topic } = input as { topic: string }
      const { draft } = yield* agents.writer({ topic })
      state.phase = 'review'
      state.notes.push('drafted')
      emit('draft-ready', { length: draft.length })
      const decision = yield* approve({ title: 'Publish this draft?', description: draft })
      state.phase = decision.approved ? 'publishing' : 'rejected'
      state.notes.push(decision.approved ? 'approved' : 'rejected')
      const { url } = yield* agents.publisher({ draft })
      state.phase = 'done'
      return { url, approved: decision.approved }
    },
  })

  /** Streams a little, then blocks until the process is killed: the executor dies mid-step. */
  const stuck = defineAgent({
    name: 'stuck',
    run: () => ({
      stream: (async function* () {
        await count('stuck')
        yield 'working '
        yield 'on it'
        await new Promise(() => {})
      })(),
      output: new Promise<never>(() => {}),
    }),
  })
  const hang = defineWorkflow({
    name: 'hang',
    agents: { stuck },
    run: async function* ({ agents }) {
      return yield* agents.stuck()
    },
  })

  /** Many short runs with a signal pause, for the load test. */
  const quick = defineAgent({
    name: 'quick',
    run: () => ({ stream: words('one two three four five'), output: count('quick').then(() => ({ ok: true })) }),
  })
  const burst = defineWorkflow({
    name: 'burst',
    agents: { quick },
    initialize: () => ({ n: 0 }),
    run: async function* ({ agents, state }) {
      state.n = 1
      yield* agents.quick()
      const payload = yield* waitForSignal<{ n: number }>('go')
      state.n = payload.n
      yield* agents.quick()
      return state.n
    },
  })

  return { review, hang, burst }
}

async function* words(text: string): AsyncIterable<string> {
  for (const [i, word] of text.split(' ').entries()) {
    yield i === 0 ? word : ` ${word}`
    // A real boundary between chunks, so a process can be cut between them.
    await new Promise((resolve) => setImmediate(resolve))
  }
}
