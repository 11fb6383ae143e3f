import { createWorkflowHandler, inMemoryRunStore } from '@stepstream/server'
import { localWorkflowEvents, useWorkflow, type WorkflowClient, type WorkflowConnection } from '@stepstream/react'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ArticleInputSchema, articleWorkflow, type ArticleWorkflowOptions } from './support/article-workflow.js'

afterEach(cleanup)

type Client = WorkflowClient<{ topic: string }>

interface Counts {
  owner: number
  status: number
  text: number
  /** State objects the client published to its store. */
  published: number
}

function StatusOnly({ client, counts }: { client: Client; counts: Counts }) {
  const { status } = useWorkflow({ client })
  counts.status += 1
  return <p data-testid="status">{status}</p>
}

function TextLength({ client, counts }: { client: Client; counts: Counts }) {
  const workflow = useWorkflow({ client })
  counts.text += 1
  return <p data-testid="text-length">{workflow.currentText.length}</p>
}

/** Owns the client and reads no state: only its children subscribe to fields. */
function Owner({ connection, throttleMs, showText, counts }: { connection: WorkflowConnection; throttleMs: number; showText: boolean; counts: Counts }) {
  const workflow = useWorkflow({
    input: ArticleInputSchema,
    connection,
    throttleMs,
    onStateChange: () => {
      counts.published += 1
    },
  })
  counts.owner += 1
  return (
    <>
      <button type="button" onClick={() => void workflow.start({ topic: 'tokens' })}>
        start
      </button>
      <StatusOnly client={workflow.client} counts={counts} />
      {showText ? <TextLength client={workflow.client} counts={counts} /> : null}
    </>
  )
}

function renderOwner(workflowOptions: ArticleWorkflowOptions, { throttleMs = 0, showText = true } = {}) {
  const handler = createWorkflowHandler({ workflow: articleWorkflow({ editorApproves: false, ...workflowOptions }), runStore: inMemoryRunStore() })
  const counts: Counts = { owner: 0, status: 0, text: 0, published: 0 }
  render(<Owner connection={localWorkflowEvents(handler)} throttleMs={throttleMs} showText={showText} counts={counts} />)
  // Count what streaming causes, not the first render.
  counts.owner = counts.status = counts.text = 0
  fireEvent.click(screen.getByRole('button', { name: 'start' }))
  return counts
}

describe('render counts: tracked reads', () => {
  it('a component that reads only status does not re-render while 10,000 tokens stream', async () => {
    const counts = renderOwner({ draftWords: 10_000 }, { showText: false })
    await screen.findByText('finished', undefined, { timeout: 20_000 })
    console.info('10,000 tokens, throttleMs 0, status only:', counts)
    // Every token reached the store on its own (one network chunk each)...
    expect(counts.published).toBeGreaterThanOrEqual(10_000)
    // ...yet status changed only idle -> running -> finished.
    expect(counts.status).toBe(2)
    // The owner reads no field at all, only actions and the client.
    expect(counts.owner).toBe(0)
  }, 30_000)

  it('a sibling that reads currentText re-renders per published state while the status one does not', async () => {
    const counts = renderOwner({ draftWords: 1_000 })
    await screen.findByText('finished', undefined, { timeout: 20_000 })
    console.info('1,000 tokens, throttleMs 0, status + text:', counts)
    expect(counts.text).toBeGreaterThanOrEqual(1_000)
    expect(counts.text).toBeLessThanOrEqual(counts.published)
    expect(counts.status).toBe(2)
    expect(screen.getByTestId('text-length').textContent).toBe(String('Editing for clarity.'.length))
  }, 30_000)
})

describe('render counts: throttle', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /**
   * Server delays, the client's throttle and `Date.now()` all run on a fake
   * clock that the test advances 1 ms at a time, so "once per throttleMs" is
   * a count over known (fake) milliseconds, not a wall-clock measurement.
   */
  async function streamOnFakeClock(throttleMs: number) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const counts = renderOwner({ draftWords: 600, chunkDelayMs: 1 }, { throttleMs })
    const startedAt = Date.now()
    for (let step = 0; step < 5_000 && !screen.queryByText('finished'); step += 1) {
      await act(() => vi.advanceTimersByTimeAsync(1))
    }
    expect(screen.getByTestId('status').textContent).toBe('finished')
    return { counts, elapsedMs: Date.now() - startedAt }
  }

  it('a currentText component re-renders at most about once per throttleMs', async () => {
    const throttleMs = 50
    const { counts, elapsedMs } = await streamOnFakeClock(throttleMs)
    console.info(`600 tokens over ${elapsedMs} fake ms, throttleMs ${throttleMs}:`, counts)
    // Status changes publish at once (running, finished) and each connection
    // publishes when it opens and closes; everything else waits for the throttle.
    const allowance = 6
    expect(counts.text).toBeLessThanOrEqual(Math.ceil(elapsedMs / throttleMs) + allowance)
    expect(counts.text).toBeLessThanOrEqual(counts.published)
    // It still streamed: the text was shown progressively, not only at the end.
    expect(counts.text).toBeGreaterThanOrEqual(Math.floor(elapsedMs / throttleMs) / 2)
    expect(counts.status).toBe(2)
  }, 30_000)

  it('without a throttle the same stream re-renders the text per token', async () => {
    const { counts, elapsedMs } = await streamOnFakeClock(0)
    console.info(`600 tokens over ${elapsedMs} fake ms, throttleMs 0:`, counts)
    expect(counts.text).toBeGreaterThanOrEqual(600)
    expect(counts.status).toBe(2)
  }, 30_000)
})
