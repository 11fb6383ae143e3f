import { useWorkflow, type WorkflowConnection } from '@stepstream/react'
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react'
import { useLayoutEffect, useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ArticleInputSchema, ArticleWorkflowOutputSchema } from './support/article-workflow.js'
import { serveArticles } from './support/serve.js'

afterEach(cleanup)

type Output = { ok: true; article: { title: string; body: string } } | { ok: false; reason: string }

function Finisher({ connection, onFinish }: { connection: WorkflowConnection; onFinish: (output: Output) => void }) {
  const workflow = useWorkflow({ connection, input: ArticleInputSchema, output: ArticleWorkflowOutputSchema, onFinish })
  return (
    <>
      <button type="button" onClick={() => void workflow.start({ topic: 'callbacks' })}>
        start
      </button>
      <p data-testid="status">{workflow.status}</p>
    </>
  )
}

describe('latest options without recreating the client', () => {
  it('calls the onFinish of the latest render, not the one the run started with', async () => {
    const server = serveArticles({ editorApproves: false, draftWords: 50, chunkDelayMs: 2 })
    const first = vi.fn()
    const second = vi.fn()
    const view = render(<Finisher connection={server.connection} onFinish={first} />)
    fireEvent.click(screen.getByRole('button', { name: 'start' }))
    await screen.findByText('running')

    view.rerender(<Finisher connection={server.connection} onFinish={second} />)
    await screen.findByText('finished')

    await waitFor(() => expect(second).toHaveBeenCalledTimes(1))
    expect(second).toHaveBeenCalledWith({ ok: false, reason: 'Too vague to publish.' }, expect.objectContaining({ status: 'finished' }))
    expect(first).not.toHaveBeenCalled()
    // One client did the whole run: the new callback did not restart anything.
    expect(server.requests.map((request) => request.action)).toEqual(['start'])
  })

  it('keeps the client and the action functions across renders with new option objects', () => {
    const server = serveArticles()
    const { result, rerender } = renderHook(({ throttleMs }) => useWorkflow({ connection: server.connection, throttleMs, onError: () => {} }), {
      initialProps: { throttleMs: 0 },
    })
    const first = result.current
    rerender({ throttleMs: 50 })
    const second = result.current
    expect(second).not.toBe(first)
    expect(second.client).toBe(first.client)
    for (const action of ['start', 'approve', 'signal', 'attach', 'resume', 'stop', 'disconnect', 'reset'] as const) {
      expect(second[action], action).toBe(first[action])
    }
  })

  it('exposes every state field, readable by destructuring and spreading', () => {
    const server = serveArticles()
    const { result } = renderHook(() => useWorkflow({ connection: server.connection }))
    const { status, steps, ...rest } = result.current
    expect(status).toBe('idle')
    expect(steps).toEqual([])
    expect(rest).toMatchObject({
      connection: 'idle',
      runId: null,
      currentStep: null,
      currentText: '',
      pendingApproval: null,
      pendingSignal: null,
      state: undefined,
      output: undefined,
      error: null,
      lastEventIndex: -1,
    })
    expect(result.current.client.state).toMatchObject({ status: 'idle', connection: 'idle' })
  })
})

/** Starts a run from its layout effect, as a child mounted for a new run would; React runs it before its parent's. */
function StartOnMount({ start }: { start: (input: { topic: string }) => Promise<unknown> }) {
  useLayoutEffect(() => {
    void start({ topic: 'started by a child' })
  }, [start])
  return null
}

/** Shows the run of `options(which)`, and mounts a starting child once `which` is 'second'. */
function Switcher({ options }: { options: (which: 'first' | 'second') => { connection: WorkflowConnection; id?: string } }) {
  const [which, setWhich] = useState<'first' | 'second'>('first')
  const workflow = useWorkflow({ ...options(which), input: ArticleInputSchema })
  return (
    <>
      <button type="button" onClick={() => setWhich('second')}>
        second
      </button>
      {which === 'second' && <StartOnMount start={workflow.start} />}
      <p data-testid="status">{workflow.status}</p>
    </>
  )
}

describe('actions in the commit that changed the options', () => {
  it('a child’s layout effect acting in the commit of a new id acts on the new id’s client, whose run the UI shows', async () => {
    const server = serveArticles()
    render(<Switcher options={(which) => ({ connection: server.connection, id: which })} />)
    act(() => fireEvent.click(screen.getByRole('button', { name: 'second' })))
    await screen.findByText('paused')
    expect(server.of('start')).toHaveLength(1)
    await server.abortAll()
  })

  it('a child’s layout effect acting in the commit of a new connection sends over it', async () => {
    const first = serveArticles()
    const second = serveArticles()
    render(<Switcher options={(which) => ({ connection: (which === 'first' ? first : second).connection })} />)
    act(() => fireEvent.click(screen.getByRole('button', { name: 'second' })))
    await screen.findByText('paused')
    expect(first.requests).toHaveLength(0)
    expect(second.of('start')).toHaveLength(1)
    await second.abortAll()
  })
})
