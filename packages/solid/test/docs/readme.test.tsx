/**
 * The root README's Solid example, kept in ./readme-article-writer.tsx
 * (typechecked with this package), checked to be in the README verbatim, and
 * rendered against the README's quick-start server.
 */
import { readFileSync } from 'node:fs'
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library'
import { createSignal } from 'solid-js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readmeServerFetch } from '../../../../test/fixtures/readme-server.js'
import { ArticleWriter } from './readme-article-writer.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe("the root README's Solid example", () => {
  it('is in the README verbatim', () => {
    expect(read('../../../../README.md')).toContain('### Solid\n\n```tsx\n' + read('./readme-article-writer.tsx') + '```\n')
  })

  it('writes, pauses for approval, publishes; a new runKey switches to a fresh client', async () => {
    const server = readmeServerFetch()
    vi.stubGlobal('fetch', server.fetch)
    const [runKey, setRunKey] = createSignal('first')
    render(() => <ArticleWriter runKey={runKey()} />)

    fireEvent.click(screen.getByRole('button', { name: 'Write' }))
    const publish = await screen.findByRole('button', { name: 'Publish?' })
    expect(screen.getByText('A short piece about rivers.').tagName).toBe('PRE')
    expect(screen.getByText('writer: finished')).toBeTruthy()
    fireEvent.click(publish)
    expect((await screen.findByRole('article')).textContent).toBe('About rivers')
    expect(server.requests.map(({ body }) => body && Object.keys(body).find((key) => key === 'input' || key === 'approval'))).toEqual(['input', 'approval'])

    setRunKey('second')
    expect(screen.queryByRole('article')).toBeNull()
    expect(screen.queryByText('writer: finished')).toBeNull()
  })
})
