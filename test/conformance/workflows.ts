import { localWorkflowEvents, type WorkflowConnection } from '@stepstream/client'
import { approve, createWorkflowHandler, defineAgent, defineWorkflow, fail, succeed, waitForSignal } from '@stepstream/server'
import { z } from 'zod'

/** The schemas every harness passes to its adapter: they type `start` and `output`. */
export const articleInput = z.object({ topic: z.string() })
export const articleOutput = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), article: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
])
export type ArticleInput = z.infer<typeof articleInput>
export type ArticleOutput = z.infer<typeof articleOutput>

export const WORDS = 30

/** The writer's full text for a draft (`draft-0 … draft-29`) or a revision. */
export function draftText(kind: 'draft' | 'revised'): string {
  return Array.from({ length: WORDS }, (_, i) => `${kind}-${i}`).join(' ')
}

/** What a gated writer has streamed of its draft while it is held (see `startServer({ gated })`). */
export const halfDraft = draftText('draft').split(' ').slice(0, WORDS / 2).join(' ')

/**
 * Holds the writer halfway through its text until opened, so a scenario can
 * act mid-stream without racing the server.
 */
export interface Gate {
  wait(signal: AbortSignal): Promise<void>
  open(): void
}

function createGate(closed: boolean): Gate {
  let open = () => {}
  const opened = closed ? new Promise<void>((resolve) => (open = resolve)) : Promise.resolve()
  return {
    wait: (signal) =>
      new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true })
        void opened.then(resolve)
      }),
    open: () => open(),
  }
}

/** A text-streaming agent: its output is the text it streamed. */
function writer(gate: Gate, fail?: string) {
  // Explicit types: inferred from a text stream, the output would be the generator.
  return defineAgent<{ feedback?: string }, string>({
    name: 'writer',
    run: ({ input, signal }) =>
      (async function* () {
        const words = draftText(input.feedback ? 'revised' : 'draft').split(' ')
        for (const [i, word] of words.entries()) {
          if (i === WORDS / 2) await gate.wait(signal)
          yield i === 0 ? word : ` ${word}`
        }
        if (fail) throw new Error(fail)
      })(),
  })
}

/**
 * The workflows the scenarios run, all with the same input and output types:
 * `article` (draft, approve or request changes), `budget` (waits for a
 * signal), `broken` (its agent throws) and `liar` (returns an output that
 * breaks its own schema).
 */
function workflows(gate: Gate) {
  const agents = { writer: writer(gate) }
  return {
    article: defineWorkflow({
      name: 'article',
      input: articleInput,
      agents,
      async *run({ input, agents }) {
        let feedback: string | undefined
        for (;;) {
          const draft = yield* agents.writer(feedback ? { feedback } : {})
          const decision = yield* approve({ title: `Publish "${input.topic}"?`, description: draft })
          const article = feedback ? `${input.topic}, revised: ${feedback}` : `${input.topic}, first draft`
          if (decision.approved) return succeed({ article })
          if (!decision.feedback) return fail('rejected')
          feedback = decision.feedback
        }
      },
    }),
    budget: defineWorkflow({
      name: 'budget',
      input: articleInput,
      async *run({ input }) {
        const { words } = yield* waitForSignal('budget', { payload: z.object({ words: z.number() }) })
        return succeed({ article: `${input.topic} in ${words} words` })
      },
    }),
    broken: defineWorkflow({
      name: 'broken',
      input: articleInput,
      agents: { writer: writer(gate, 'the model is down') },
      async *run({ agents }) {
        const draft = yield* agents.writer({})
        return succeed({ article: draft })
      },
    }),
    liar: defineWorkflow({
      name: 'liar',
      input: articleInput,
      // No output schema on the server side, so only the client's can catch it.
      async *run() {
        return { ok: 'yes', article: 42 }
      },
    }),
  }
}

export type WorkflowName = keyof ReturnType<typeof workflows>

export interface ServerRequest {
  method: string
  body: Record<string, unknown> | undefined
}

export interface TestServer {
  /** A connection to the reference server, in process (no sockets). */
  connection: WorkflowConnection
  requests: ServerRequest[]
  /** Lets a gated writer finish its text (see `startServer({ gated })`). */
  openGate(): void
}

/** A fresh reference server per scenario (its own in-memory run store); `gated` holds writers halfway. */
export function startServer(options: { gated?: boolean } = {}): TestServer {
  const gate = createGate(options.gated ?? false)
  const handler = createWorkflowHandler({ workflows: workflows(gate) })
  const requests: ServerRequest[] = []
  const connection = localWorkflowEvents(async (request) => {
    const body = request.method === 'POST' ? ((await request.clone().json()) as Record<string, unknown>) : undefined
    requests.push({ method: request.method, body })
    return handler(request)
  })
  return { connection, requests, openGate: gate.open }
}
