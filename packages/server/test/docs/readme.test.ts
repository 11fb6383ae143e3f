/**
 * README examples of this package, each kept in a file here (typechecked with
 * the package), checked to be in its README verbatim, and run:
 * - the root README's quick-start server (./readme-quick-start-server.ts)
 *   and its errorMessage example (./readme-error-message.ts);
 * - this package's README: "Authoring" (./readme-authoring.ts), "Serving it"
 *   (./readme-serving.ts), "Orchestrators" (./readme-feature.ts, served by
 *   "Serving it") and the runWorkflow lines (./readme-run-workflow.ts).
 * What an example leaves to the app is below a marker line at the end of its
 * file. The examples listen on a free port here rather than on 3000.
 */
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createWorkflowHandler, defineAgent, defineWorkflow } from '@stepstream/server'
import { post as postTo, readSse } from '../helpers.js'
import { sent } from './readme-host.js'

const servers: Server[] = []

vi.mock('node:http', async (importOriginal) => {
  const http = await importOriginal<typeof import('node:http')>()
  const createServer = ((...args: Parameters<typeof http.createServer>) => {
    const server = http.createServer(...args)
    servers.push(server)
    // The example listens on 3000; any free port will do for the test.
    const listen = server.listen.bind(server)
    server.listen = (() => listen(0, '127.0.0.1')) as typeof server.listen
    return server
  }) as typeof http.createServer
  return { ...http, default: { ...http, createServer }, createServer }
})

afterAll(() => {
  for (const server of servers) server.close()
})

const readme = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The example as the README shows it: the file up to the line that starts what the README leaves out. */
function exampleOf(file: string): string {
  const text = readme(file)
  const end = text.indexOf('\n// ---- Not in the README')
  return end === -1 ? text : text.slice(0, end)
}

/** The URL of the server the example just created, once it listens. */
async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

function approvalIn(events: { event: unknown }[]): { approvalId: string; title: string; description?: string } | undefined {
  for (const { event } of events) {
    const custom = event as { type: string; name?: string; value?: { approvalId: string; title: string; description?: string } }
    if (custom.type === 'CUSTOM' && custom.name === 'approval-requested') return custom.value
  }
  return undefined
}

describe("the root README's quick-start server", () => {
  const example = readme('./readme-quick-start-server.ts')

  it('is in the README verbatim', () => {
    expect(readme('../../../../README.md')).toContain('### The server (any Node HTTP stack)\n\n```ts\n' + example + '```\n')
  })

  it('serves the article workflow: start pauses for approval, approving finishes it', async () => {
    await import('./readme-quick-start-server.js')
    const url = await listening(servers.at(-1)!)
    const post = async (body: unknown) =>
      readSse(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))

    const first = await post({ runId: 'readme-run', input: { topic: 'rivers' } })
    const approval = first.events.find(({ event }) => event.type === 'CUSTOM' && event.name === 'approval-requested')?.event
    expect(approval).toMatchObject({ value: { title: 'Publish?', description: 'About rivers' } })
    const approvalId = (approval as { value: { approvalId: string } }).value.approvalId

    const second = await post({ runId: 'readme-run', approval: { approvalId, approved: true } })
    expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { ok: true, article: 'About rivers' } })
  })
})

describe("the root README's errorMessage example", () => {
  const example = exampleOf('./readme-error-message.ts')

  it('is in the README, in the server section, verbatim', () => {
    const root = readme('../../../../README.md')
    const section = root.slice(root.indexOf('### The server (any Node HTTP stack)'), root.indexOf('### The headless client'))
    expect(section).toContain('```ts\n' + example + '```\n')
  })

  it('logs the real error of a failed step and sends its own words', async () => {
    const { errorMessage, logged } = await import('./readme-error-message.js')
    const lookup = defineAgent({
      name: 'lookup',
      run: async (): Promise<string> => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432')
      },
    })
    const failing = defineWorkflow({
      name: 'failing',
      agents: { lookup },
      run: async function* ({ agents }) {
        return yield* agents.lookup()
      },
    })
    const result = await postTo(createWorkflowHandler({ workflow: failing, errorMessage }), { runId: 'readme-error', input: null })
    expect(result.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'step_failed', message: '"lookup" is unavailable, please try again' })
    expect(logged).toEqual([
      [{ err: expect.objectContaining({ message: 'connect ECONNREFUSED 10.0.0.5:5432' }), runId: 'readme-error', workflow: 'failing', stepName: 'lookup' }, 'workflow error'],
    ])
  })
})

describe("this package's README", () => {
  const server = readme('../../README.md')

  it('has the Authoring, Serving it, Orchestrators and runWorkflow examples verbatim', () => {
    expect(server).toContain('## Authoring\n\n```ts\n' + exampleOf('./readme-authoring.ts') + '```\n')
    expect(server).toContain('## Serving it\n\n```ts\n' + exampleOf('./readme-serving.ts') + '```\n')
    expect(server).toContain('### Orchestrators\n\n```ts\n' + exampleOf('./readme-feature.ts') + '```\n')
    expect(server).toContain('`{ index, event }`, the events the HTTP handler would stream:\n\n```ts\n' + exampleOf('./readme-run-workflow.ts') + '```\n')
  })

  it('Authoring: the article asks for approval, takes feedback for a revision, and finishes with { ok: true, article }', async () => {
    const { article } = await import('./readme-authoring.js')
    const handler = createWorkflowHandler({ workflow: article })
    const first = await postTo(handler, { runId: 'authoring', input: { topic: 'rivers' } })
    const firstApproval = approvalIn(first.events)!
    expect(firstApproval).toMatchObject({ title: 'Publish?', description: 'All about rivers' })
    const second = await postTo(handler, { runId: 'authoring', approval: { approvalId: firstApproval.approvalId, approved: false, feedback: 'Shorter' } })
    expect(second.events.map(({ event }) => event)).toContainEqual(expect.objectContaining({ type: 'CUSTOM', name: 'revision-requested', value: { feedback: 'Shorter' } }))
    const secondApproval = approvalIn(second.events)!
    const third = await postTo(handler, { runId: 'authoring', approval: { approvalId: secondApproval.approvalId, approved: true } })
    expect(third.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { ok: true, article: 'All about rivers' } })
  })

  it('Serving it: both workflows are served, behind the authorize check', async () => {
    await import('./readme-serving.js')
    const url = await listening(servers.at(-1)!)
    const post = async (body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

    expect((await post({ workflow: 'feature', input: { goal: 'ship' } })).status).toBe(403)
    const feature = await readSse(await post({ workflow: 'feature', input: { goal: 'ship' } }, { authorization: 'Bearer secret' }))
    expect(feature.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: ['planner'] })
    const article = await readSse(await post({ workflow: 'article', input: { topic: 'owls' } }, { authorization: 'Bearer secret' }))
    expect(approvalIn(article.events)).toMatchObject({ title: 'Publish?' })
  })

  it('runWorkflow: the host gets every event up to the pause, indexed from 0', async () => {
    await import('./readme-run-workflow.js')
    expect(sent.map(({ index }) => index)).toEqual(sent.map((_, index) => index))
    expect(sent[0]!.event).toMatchObject({ type: 'RUN_STARTED' })
    expect(sent.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
  })
})
