// @vitest-environment node
import { WorkflowClient, type ConnectionRequest, type WorkflowConnection } from '@stepstream/client'
import { renderToString } from 'solid-js/web'
import { describe, expect, it } from 'vitest'
import { useWorkflow } from '@stepstream/solid'
import { RunView, runViewServerHtml } from './support/run-view.js'

describe('useWorkflow during SSR', () => {
  it('renders the initial state and sends nothing', () => {
    const sent: ConnectionRequest[] = []
    const connection: WorkflowConnection = {
      send: (request) => {
        sent.push(request)
        return Promise.reject(new Error('no network during SSR'))
      },
    }
    expect(typeof window).toBe('undefined')
    const html = renderToString(() => {
      const wf = useWorkflow({ connection })
      return <p>{wf.status}:{wf.steps.length}</p>
    })
    // Hydration markers aside, the initial state.
    expect(html.replace(/<!--.*?-->/g, '')).toMatch(/^<p[^>]*>idle:0<\/p>$/)
    expect(sent).toHaveLength(0)
  })

  it('renders a shared client in its initial state, as the hydration test expects it', () => {
    const client = new WorkflowClient({ connection: { send: () => Promise.reject(new Error('no network during SSR')) } })
    expect(renderToString(() => <RunView client={client} />)).toBe(runViewServerHtml)
  })
})
