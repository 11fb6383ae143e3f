import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWorkflowHandler } from '@stepstream/server'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readmeArticle } from '../../../test/fixtures/readme-server.js'
import { recordingHandler } from './support/recording-handler.js'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('the README React example', () => {
  const here = dirname(fileURLToPath(import.meta.url))
  const example = join(here, 'support/readme-article-writer.tsx')

  it('is in the README verbatim', () => {
    const readme = readFileSync(join(here, '../../../README.md'), 'utf8')
    expect(readme).toContain('### React\n\n```tsx\n' + readFileSync(example, 'utf8') + '```')
  })

  it('runs against the README server', async () => {
    // The example fetches '/api/workflow'; route that URL to the server in process.
    const server = recordingHandler(createWorkflowHandler({ workflow: readmeArticle }))
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => server.handler(new Request(new URL(url, 'http://localhost'), init)))
    const { ArticleWriter } = await import('./support/readme-article-writer.js')
    render(<ArticleWriter />)

    fireEvent.click(screen.getByRole('button', { name: 'Write' }))
    const publish = await screen.findByRole('button', { name: 'Publish?' })
    expect(screen.getByText('A short piece about rivers.').tagName).toBe('PRE')
    fireEvent.click(publish)

    expect((await screen.findByRole('article')).textContent).toBe('About rivers')
    expect(screen.getByText('writer: finished')).toBeTruthy()
    expect(server.requests.map((request) => request.action)).toEqual(['start', 'approve'])
  })
})
