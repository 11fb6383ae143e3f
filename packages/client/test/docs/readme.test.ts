/**
 * The README examples that use the client on its own: the root README's
 * "headless client" and this package's README. Each is kept in a file here
 * (typechecked with the package), checked to be in its README verbatim, and
 * run as written against a scripted server that pauses for an approval and
 * then finishes. What an example leaves to the app (`render`, `token`) is
 * defined below a marker line at the end of its file.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { WorkflowClientState } from '@stepstream/client'
import { articleApproveSegment, articleStartSegment, scriptedServer } from '../helpers.js'
import { rendered } from './app.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The example as the README shows it: the file up to the line that starts what the README leaves out. */
function exampleOf(file: string): string {
  const text = read(file)
  const end = text.indexOf('\n// ---- Not in the README')
  return end === -1 ? text : text.slice(0, end)
}

function serveArticle() {
  const server = scriptedServer({ segments: [articleStartSegment(), articleApproveSegment()] })
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => server.fetchClient(url, init))
  // The samples run in a page, which resolves their relative URL.
  vi.stubGlobal('location', { href: 'http://localhost/app/' })
  return server
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  rendered.length = 0
})

describe("the root README's headless client", () => {
  it('is in the README verbatim', () => {
    expect(read('../../../../README.md')).toContain('### The headless client (no framework)\n\n```ts\n' + exampleOf('./readme-quick-start-client.ts') + '```\n')
  })

  it('renders every state, pauses for the approval and approves it', async () => {
    const server = serveArticle()
    await import('./readme-quick-start-client.js')
    expect(server.requests.map((request) => request.action)).toEqual(['start', 'approve'])
    expect(server.requests[0]!.body.input).toEqual({ topic: 'rivers' })
    const fields = rendered as unknown[][]
    expect(fields.some(([status, , , approval]) => status === 'paused' && (approval as { title?: string } | null)?.title === 'Publish?')).toBe(true)
    expect(fields.at(-1)).toEqual(['finished', expect.any(Array), 'Published', null, { ok: true, article: 'Hello brave world' }])
  })
})

describe("this package's README example", () => {
  it('is in the README verbatim', () => {
    expect(read('../../README.md')).toContain('```ts\n' + exampleOf('./readme-client.ts') + '```\n')
  })

  it('sends the token, renders, and logs the article on finish', async () => {
    const server = serveArticle()
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const requests: Headers[] = []
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      requests.push(new Headers(init.headers))
      return server.fetchClient(url, init)
    })
    await import('./readme-client.js')
    expect(server.requests.map((request) => request.action)).toEqual(['start', 'approve'])
    expect(requests.map((headers) => headers.get('authorization'))).toEqual(['Bearer secret', 'Bearer secret'])
    expect((rendered.at(-1) as WorkflowClientState).status).toBe('finished')
    expect(log).toHaveBeenCalledWith('Hello brave world')
  })
})
