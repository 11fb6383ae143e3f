import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ArticleWorkflowOptions } from './support/article-workflow.js'
import { ArticleWorkflowDemo } from './support/article-workflow-demo.js'
import { serveArticles } from './support/serve.js'

afterEach(cleanup)

function serve(options?: ArticleWorkflowOptions) {
  return serveArticles(options)
}

const TITLE = 'How typed agent workflows improve AI product UX'

describe('the blog ArticleWorkflowDemo against the reference server', () => {
  it('starts, streams the steps and their text, pauses for approval, and renders the article once approved', async () => {
    // Slow enough that the writer's text shows while it streams.
    const server = serve({ draftWords: 40, chunkDelayMs: 5 })
    render(<ArticleWorkflowDemo connection={server.connection} />)

    fireEvent.click(screen.getByRole('button', { name: 'Start workflow' }))

    // Streaming: part of the draft is on screen while the writer still runs.
    const streaming = await screen.findByText(/Drafting "How typed agent/)
    expect(streaming.textContent).not.toContain('word39')
    expect(screen.getByText('writer').nextSibling?.textContent).toBe('running')
    expect(screen.getByRole('button', { name: 'Start workflow' })).toHaveProperty('disabled', true)

    await screen.findByRole('heading', { name: `Publish "${TITLE}"?` })
    expect(screen.getByText('Clear and practical.')).toBeTruthy()
    expect(screen.getByText('writer').nextSibling?.textContent).toBe('finished')
    expect(screen.getByText('editor').nextSibling?.textContent).toBe('finished')
    // The pre shows the last step's text.
    expect(screen.getByText('Editing for clarity.')).toBeTruthy()
    expect(screen.queryByRole('article')).toBeNull()

    fireEvent.click(screen.getByRole('button', { name: 'Approve' }))

    const article = await screen.findByRole('article')
    expect(article.querySelector('h1')?.textContent).toBe(TITLE)
    expect(article.querySelector('p')?.textContent).toBe('Typed steps make streaming UIs predictable.')
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Start workflow' })).toHaveProperty('disabled', false)
    expect(server.requests.map((request) => request.action)).toEqual(['start', 'approve'])
    expect(server.of('approve')[0]?.body).toMatchObject({ approval: { approved: true } })
  })

  it('sends "Request changes" with its feedback, and renders the revised article', async () => {
    const server = serve()
    render(<ArticleWorkflowDemo connection={server.connection} />)
    fireEvent.click(screen.getByRole('button', { name: 'Start workflow' }))

    fireEvent.click(await screen.findByRole('button', { name: 'Request changes' }))

    const article = await screen.findByRole('article')
    expect(article.querySelector('p')?.textContent).toBe('Typed steps make streaming UIs predictable. (revised: Tighten the conclusion.)')
    expect(server.of('approve')[0]?.body).toMatchObject({ approval: { approved: false, feedback: 'Tighten the conclusion.' } })
    // The revision ran as a third step, streaming the feedback it applied.
    expect(screen.getAllByText('editor')).toHaveLength(2)
    expect(screen.getByText('Applying feedback: Tighten the conclusion.')).toBeTruthy()
  })

  it('renders the reason when the editor rejects the draft, with no approval asked', async () => {
    const server = serve({ editorApproves: false })
    render(<ArticleWorkflowDemo connection={server.connection} />)
    fireEvent.click(screen.getByRole('button', { name: 'Start workflow' }))

    await screen.findByText('Too vague to publish.')
    expect(screen.queryByRole('article')).toBeNull()
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull()
    await waitFor(() => expect(screen.getByRole('button', { name: 'Start workflow' })).toHaveProperty('disabled', false))
    expect(server.requests.map((request) => request.action)).toEqual(['start'])
  })
})
