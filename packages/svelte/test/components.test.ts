import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'
import RunesArticle from './RunesArticle.svelte'
import StoreArticle from './StoreArticle.svelte'

describe.each([
  ['the store ($wf)', StoreArticle],
  ['createWorkflow (runes)', RunesArticle],
])('the article demo with %s', (_name, Component) => {
  it('starts, streams, requests changes, approves and shows the output', async () => {
    const { connection } = articleServer()
    render(Component, { connection })
    const status = () => screen.getByTestId('status').textContent
    expect(status()).toBe('idle')
    await fireEvent.click(screen.getByText('Start'))
    await until(() => status() === 'paused', 'first pause')
    expect(screen.getByTestId('text').textContent).toBe('draft-0 draft-1 draft-2 draft-3 draft-4')
    await fireEvent.click(screen.getByText('Request changes'))
    await until(() => status() === 'paused' && screen.getByTestId('text').textContent!.startsWith('revised'), 'second pause')
    await fireEvent.click(screen.getByText('Approve'))
    await until(() => status() === 'finished', 'finish')
    expect(screen.getByRole('article').textContent).toBe('Revised article about Svelte')
  })
})

describe('createWorkflow in a component', () => {
  it('re-runs an effect reading status per status change, not per streamed token', async () => {
    const { connection } = articleServer({ words: 60, chunkDelayMs: 1 })
    const runs = { status: 0, text: 0 }
    render(RunesArticle, { connection, runs })
    await fireEvent.click(screen.getByText('Start'))
    await until(() => screen.getByTestId('status').textContent === 'paused', 'pause')
    // idle (first run), running, paused.
    expect(runs.status).toBeLessThanOrEqual(3)
    expect(runs.text).toBeGreaterThan(runs.status * 5)
  })
})
