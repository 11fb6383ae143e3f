// What the conformance table (test/conformance/unmount-scenarios.ts) cannot
// show for every adapter: React alone hides a component without unmounting it.
import { useWorkflow, type UseWorkflowResult } from '@stepstream/react'
import { act, cleanup, render, waitFor } from '@testing-library/react'
import { Activity } from 'react'
import { afterEach, expect, it } from 'vitest'
import { ArticleInputSchema } from './support/article-workflow.js'
import { serveArticles } from './support/serve.js'

afterEach(cleanup)

/** Lets the hook's deferred release, and anything it set off, happen. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)))

it('a hidden <Activity> hears none of its own client’s callbacks; shown again, the resumed stream’s callbacks reach it', async () => {
  const server = serveArticles({ draftWords: 400, chunkDelayMs: 2 })
  const seen: string[] = []
  let hidden = false
  const onStateChange = () => void seen.push(hidden ? 'hidden' : 'shown')
  let wf!: UseWorkflowResult<{ topic: string }>
  function Writer() {
    wf = useWorkflow({ connection: server.connection, input: ArticleInputSchema, onStateChange })
    return <p data-testid="length">{wf.currentText.length}</p>
  }
  const tab = (mode: 'visible' | 'hidden') => (
    <Activity mode={mode}>
      <Writer />
    </Activity>
  )
  const view = render(tab('visible'))
  act(() => void wf.start({ topic: 'tabs' }))
  await waitFor(() => expect(wf.client.state.currentText).not.toBe(''))

  hidden = true
  view.rerender(tab('hidden'))
  await waitFor(() => expect(wf.client.state.connection).toBe('closed'))
  await settle()
  expect(seen).not.toContain('hidden')

  hidden = false
  seen.length = 0
  view.rerender(tab('visible'))
  await waitFor(() => expect(seen.length).toBeGreaterThan(1))
  await server.abortAll()
})
