import { useWorkflow, WorkflowClient, type UseWorkflowOptions, type UseWorkflowResult } from '@stepstream/react'
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { countReleases, recordClients } from '../../../test/fixtures/client-ownership.js'

afterEach(cleanup)

/** Lets the hook's release, which waits a microtask after the commit, happen. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)))

/** One hook instance under StrictMode, its options set by rerendering; `wf` is what it last rendered. */
function renderWorkflow(initial: UseWorkflowOptions) {
  let wf!: UseWorkflowResult
  function View({ options }: { options: UseWorkflowOptions }) {
    wf = useWorkflow(options)
    return <p data-testid="status">{wf.status}</p>
  }
  const view = render(<View options={initial} />, { wrapper: StrictMode })
  return {
    get wf() {
      return wf
    },
    setOptions: async (options: UseWorkflowOptions) => {
      view.rerender(<View options={options} />)
      await settle()
    },
    unmount: async () => {
      view.unmount()
      await settle()
    },
  }
}

describe('useWorkflow lets go of exactly the clients it created (React)', () => {
  it('keeps its own client going when the options hand it back as a shared client, and lets go of it on unmount', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const view = renderWorkflow({ connection: server.connection })
    const own = view.wf.client
    const releases = countReleases(own)
    act(() => void view.wf.start({ topic: 'own to shared' }))
    await until(() => own.state.currentText.length > 0, 'text streams')

    await view.setOptions({ client: own })
    // Still the client it follows, so still its to let go: nothing is cut now.
    expect(view.wf.client).toBe(own)
    expect(releases()).toBe(0)
    expect(own.state.connection).toBe('open')

    await view.unmount()
    expect(releases()).toBe(1)
    expect(own.state.connection).toBe('closed')
  })

  it('lets go of its own client handed back as shared the way its own options said: with stopOnUnmount, unmounting stops the run', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const view = renderWorkflow({ connection: server.connection, stopOnUnmount: true })
    const own = view.wf.client
    const stop = vi.spyOn(own, 'stop')
    act(() => void view.wf.start({ topic: 'own to shared, stopped' }))
    await until(() => own.state.currentText.length > 0, 'text streams')

    await view.setOptions({ client: own })
    await view.unmount()
    expect(stop).toHaveBeenCalledTimes(1)
    expect(own.state.status).toBe('aborted')
  })

  it('lets go of the client it leaves for a new id the way that client’s own options said, not the new ones, when both change in one render', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const view = renderWorkflow({ connection: server.connection, id: 'one', stopOnUnmount: true })
    const first = view.wf.client
    const firstStop = vi.spyOn(first, 'stop')
    const firstDisconnect = vi.spyOn(first, 'disconnect')
    act(() => void view.wf.start({ topic: 'stopped when left' }))
    await until(() => first.state.currentText.length > 0, 'text streams')

    await view.setOptions({ connection: server.connection, id: 'two', stopOnUnmount: false })
    const second = view.wf.client
    expect(second).not.toBe(first)
    expect(firstStop).toHaveBeenCalledTimes(1)
    expect(firstDisconnect).not.toHaveBeenCalled()
    expect(first.state.status).toBe('aborted')

    const secondStop = vi.spyOn(second, 'stop')
    const secondDisconnect = vi.spyOn(second, 'disconnect')
    await view.setOptions({ connection: server.connection, id: 'three', stopOnUnmount: true })
    expect(secondDisconnect).toHaveBeenCalledTimes(1)
    expect(secondStop).not.toHaveBeenCalled()
  })

  it('lets go of its own client once, when it moves from that client (given back as shared) to another shared client, and never of the shared one', async () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const view = renderWorkflow({ connection: server.connection })
    const own = view.wf.client
    const ownReleases = countReleases(own)

    await view.setOptions({ client: own })
    expect(ownReleases()).toBe(0)
    await view.setOptions({ client: shared })
    expect(view.wf.client).toBe(shared)
    expect(ownReleases()).toBe(1)

    // No listener is left on the client it no longer follows.
    await act(() => own.start({ topic: 'left behind' }))
    expect(screen.getByTestId('status').textContent).toBe('idle')

    await view.unmount()
    expect(ownReleases()).toBe(1)
    expect(sharedReleases()).toBe(0)
  })

  it('keeps its own client when the options go from own to that client as shared and back to own with the same id', async () => {
    const server = articleServer()
    const view = renderWorkflow({ connection: server.connection, id: 'run' })
    const own = view.wf.client
    const releases = countReleases(own)

    await view.setOptions({ client: own })
    await view.setOptions({ connection: server.connection, id: 'run' })
    expect(view.wf.client).toBe(own)
    expect(releases()).toBe(0)

    await view.unmount()
    expect(releases()).toBe(1)
  })

  it('across shared → own → new id → shared → own, lets go of each client it created once and never of the shared one', async () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const view = renderWorkflow({ client: shared })
    const created = recordClients(() => view.wf.client)

    await view.setOptions({ connection: server.connection, id: 'one' })
    created.record()
    await view.setOptions({ connection: server.connection, id: 'two' })
    created.record()
    await view.setOptions({ client: shared })
    await view.setOptions({ connection: server.connection, id: 'three' })
    created.record()
    expect(new Set(created.clients()).size).toBe(3)
    expect(created.releases()).toEqual([1, 1, 0])

    await view.unmount()
    expect(created.releases()).toEqual([1, 1, 1])
    expect(sharedReleases()).toBe(0)
  })
})
