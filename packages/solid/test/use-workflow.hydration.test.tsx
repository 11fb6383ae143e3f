import { WorkflowClient } from '@stepstream/client'
import { screen } from '@solidjs/testing-library'
import { hydrate } from 'solid-js/web'
import { afterEach, describe, expect, it } from 'vitest'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { RunView, runViewServerHtml } from './support/run-view.js'

let dispose = () => {}
afterEach(() => {
  dispose()
  document.body.innerHTML = ''
})

describe('useWorkflow hydrating server HTML (Solid)', () => {
  it('shows a shared client the page already put to work (an attach before hydrate) as it is, not as the server rendered it', async () => {
    const server = articleServer()
    const runId = (await new WorkflowClient({ connection: server.connection }).start({ topic: 'resumed on load' })).runId!
    const container = document.createElement('div')
    container.innerHTML = runViewServerHtml
    document.body.append(container)
    // What generateHydrationScript() puts in the server's page.
    Object.assign(globalThis, { _$HY: { events: [], completed: new WeakSet(), r: {} } })

    // The page's script follows the last run before Solid hydrates.
    const client = new WorkflowClient({ connection: server.connection })
    const attached = client.attach(runId)
    dispose = hydrate(() => <RunView client={client} />, container)
    await attached
    await until(() => screen.getByTestId('run').textContent === `paused ${runId}`, `paused ${runId}, not ${screen.getByTestId('run').textContent}`)
    expect(client.state.status).toBe('paused')
  })
})
