/**
 * The root README's quick-start server, kept in ./readme-quick-start-server.ts
 * (typechecked with this package) and checked to be in the README verbatim,
 * then run as written: it listens (on a free port here rather than 3000) and
 * a start and an approval over real HTTP finish the run.
 */
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { readSse } from '../helpers.js'

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

describe("the root README's quick-start server", () => {
  const example = readme('./readme-quick-start-server.ts')

  it('is in the README verbatim', () => {
    expect(readme('../../../../README.md')).toContain('### The server (any Node HTTP stack)\n\n```ts\n' + example + '```\n')
  })

  it('serves the article workflow: start pauses for approval, approving finishes it', async () => {
    await import('./readme-quick-start-server.js')
    const server = servers[0]!
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
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
