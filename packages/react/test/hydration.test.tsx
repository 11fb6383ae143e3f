import { useWorkflow, WorkflowClient } from '@stepstream/react'
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ArticleWorkflowDemo } from './support/article-workflow-demo.js'
import { serveArticles } from './support/serve.js'

let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  cleanup()
})

describe('hydration', () => {
  it('hydrates server HTML without a mismatch, and the hydrated demo runs', async () => {
    const server = serveArticles({ editorApproves: false })
    const app = (
      <StrictMode>
        <ArticleWorkflowDemo connection={server.connection} />
      </StrictMode>
    )
    const container = document.createElement('div')
    container.innerHTML = renderToString(app)
    document.body.append(container)
    const onRecoverableError = vi.fn()

    act(() => {
      root = hydrateRoot(container, app, { onRecoverableError })
    })
    expect(onRecoverableError).not.toHaveBeenCalled()
    expect(server.requests).toHaveLength(0)

    fireEvent.click(screen.getByRole('button', { name: 'Start workflow' }))
    await screen.findByText('Too vague to publish.')
    expect(server.requests.map((request) => request.action)).toEqual(['start'])
  })

  it('hydrates against a shared client the page already put to work (an attach before hydrateRoot), then shows its run', async () => {
    const server = serveArticles()
    const runId = await server.startRun('resumed on load')
    function Viewer({ client }: { client: WorkflowClient }) {
      const { status, connection, runId } = useWorkflow({ client })
      return <p data-testid="run">{`${status} ${connection} ${runId ?? 'none'}`}</p>
    }
    // The server's client never fetches: the page is rendered with its initial state.
    const container = document.createElement('div')
    container.innerHTML = renderToString(<Viewer client={new WorkflowClient({ connection: server.connection })} />)
    document.body.append(container)

    // In the browser, the page's script follows the last run before React hydrates.
    const client = new WorkflowClient({ connection: server.connection })
    const attached = client.attach(runId)
    const onRecoverableError = vi.fn()
    act(() => {
      root = hydrateRoot(container, <Viewer client={client} />, { onRecoverableError })
    })
    expect(onRecoverableError).not.toHaveBeenCalled()
    await act(() => attached)
    expect(screen.getByTestId('run').textContent).toBe(`paused closed ${runId}`)
    await server.abortAll()
  })
})
