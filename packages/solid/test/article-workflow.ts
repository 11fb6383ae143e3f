import { approve, createWorkflowHandler, defineWorkflow, fail, mockAgent, succeed } from '@stepstream/server'
import { localWorkflowEvents, type WorkflowConnection } from '@stepstream/client'
import { z } from 'zod'

export const articleInput = z.object({ topic: z.string() })
export const articleOutput = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), article: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
])

type WriterInput = { topic: string; feedback?: string }

/** The blog's article workflow: a writer drafts, a person approves or asks for changes. */
function articleWorkflow(name: string, words: number, chunkDelayMs: number) {
  const writer = mockAgent({
    name: 'writer',
    chunkDelayMs,
    text: (input: WriterInput) => Array.from({ length: words }, (_, i) => `${input.feedback ? 'revised' : 'draft'}-${i}`).join(' '),
    result: (input: WriterInput) => ({ text: `${input.feedback ? 'Revised' : 'An'} ${name} about ${input.topic}` }),
  })
  return defineWorkflow({
    name,
    input: articleInput,
    output: articleOutput,
    agents: { writer },
    async *run({ input, agents }) {
      let feedback: string | undefined
      for (;;) {
        const draft = yield* agents.writer({ topic: input.topic, ...(feedback ? { feedback } : {}) })
        const decision = yield* approve({ title: 'Publish this article?', description: draft.text })
        if (decision.approved) return succeed({ article: draft.text })
        if (!decision.feedback) return fail('rejected')
        feedback = decision.feedback
      }
    },
  })
}

export interface TestServer {
  connection: WorkflowConnection
  /** Every request the server received, with its JSON body (GET resumes have none). */
  requests: { method: string; body: Record<string, unknown> | undefined }[]
}

/** The reference server in-process, serving `article` and `essay` (the same workflow under two names). */
export function articleServer(options: { words?: number; chunkDelayMs?: number } = {}): TestServer {
  const words = options.words ?? 5
  const chunkDelayMs = options.chunkDelayMs ?? 0
  const handler = createWorkflowHandler({
    workflows: { article: articleWorkflow('article', words, chunkDelayMs), essay: articleWorkflow('essay', words, chunkDelayMs) },
  })
  const requests: TestServer['requests'] = []
  const connection = localWorkflowEvents(
    async (request) => {
      const body = request.method === 'POST' ? ((await request.clone().json()) as Record<string, unknown>) : undefined
      requests.push({ method: request.method, body })
      return handler(request)
    },
    { body: { workflow: 'article' } },
  )
  return { connection, requests }
}

/** Waits until `check` holds: the stream is in-process but still asynchronous. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 0))
  if (!check()) throw new Error(`Timed out waiting for: ${what}`)
}
