// @vitest-environment node
import { useWorkflow, type WorkflowConnection } from '@stepstream/react'
import { StrictMode, useEffect } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { ArticleWorkflowDemo } from './support/article-workflow-demo.js'
import { serveArticles } from './support/serve.js'

/** Attaches on mount, the way a page that follows a run after reload would. */
function Follower({ connection }: { connection: WorkflowConnection }) {
  const { attach, status, steps } = useWorkflow({ connection, stopOnUnmount: true })
  useEffect(() => {
    void attach('run-from-the-url')
  }, [attach])
  return <p>{`${status}:${steps.length}`}</p>
}

describe('server rendering', () => {
  it('renders the initial state without fetching, in a runtime with no window', () => {
    // Any access to `window` here would throw a ReferenceError.
    expect(typeof window).toBe('undefined')
    const server = serveArticles()
    const send = vi.spyOn(server.connection, 'send')

    const html = renderToString(
      <StrictMode>
        <ArticleWorkflowDemo connection={server.connection} />
        <Follower connection={server.connection} />
      </StrictMode>,
    )

    expect(html).toContain('Start workflow')
    expect(html).toContain('idle:0')
    expect(html).not.toContain('<pre>')
    expect(send).not.toHaveBeenCalled()
    expect(server.requests).toHaveLength(0)
  })
})
