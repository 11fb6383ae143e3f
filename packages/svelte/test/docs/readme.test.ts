/**
 * The root README's Svelte example, kept in ./ReadmeArticleWriter.svelte
 * (checked by this package's svelte-check), checked to be in the README
 * verbatim, and rendered against the README's quick-start server.
 */
import { readFileSync } from 'node:fs'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { readmeServerFetch } from '../../../../test/fixtures/readme-server.js'
import ReadmeArticleWriter from './ReadmeArticleWriter.svelte'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe("the root README's Svelte example", () => {
  it('is in the README verbatim', () => {
    expect(read('../../../../README.md')).toContain('### Svelte\n\n```svelte\n' + read('./ReadmeArticleWriter.svelte') + '```\n')
  })

  it('writes, pauses for approval and publishes', async () => {
    const server = readmeServerFetch()
    vi.stubGlobal('fetch', server.fetch)
    render(ReadmeArticleWriter)

    await fireEvent.click(screen.getByRole('button', { name: 'Write' }))
    const publish = await screen.findByRole('button', { name: 'Publish?' })
    expect(screen.getByText('A short piece about rivers.').tagName).toBe('PRE')
    expect(screen.getByText('writer: finished')).toBeTruthy()
    await fireEvent.click(publish)
    expect((await screen.findByRole('article')).textContent).toBe('About rivers')
    expect(server.requests.map(({ body }) => body && Object.keys(body).find((key) => key === 'input' || key === 'approval'))).toEqual(['input', 'approval'])
  })
})
