import { WorkflowClient } from '@stepstream/client'
import { createRoot, createSignal } from 'solid-js'
import { describe, expect, it, vi } from 'vitest'
import { useWorkflow, type UseWorkflowOptions } from '@stepstream/solid'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { countReleases, recordClients } from '../../../test/fixtures/client-ownership.js'

/** One `useWorkflow` in a root, following an options signal. */
function workflowRoot(initial: UseWorkflowOptions) {
  const [options, setOptions] = createSignal(initial)
  return createRoot((dispose) => ({ wf: useWorkflow(options), setOptions, dispose }))
}

describe('useWorkflow lets go of exactly the clients it created (Solid)', () => {
  it('keeps its own client going when the options hand it back as a shared client, and lets go of it on cleanup', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const { wf, setOptions, dispose } = workflowRoot({ connection: server.connection })
    const own = wf.client
    const releases = countReleases(own)
    void wf.start({ topic: 'own to shared' })
    await until(() => wf.currentText.length > 0, 'text streams')

    setOptions({ client: own })
    // Still the client it follows, so still its to let go: nothing is cut now.
    expect(wf.client).toBe(own)
    expect(releases()).toBe(0)
    expect(own.state.connection).toBe('open')

    dispose()
    expect(releases()).toBe(1)
    expect(own.state.connection).toBe('closed')
  })

  it('lets go of its own client handed back as shared the way its own options said: with stopOnUnmount, cleanup stops the run', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const { wf, setOptions, dispose } = workflowRoot({ connection: server.connection, stopOnUnmount: true })
    const own = wf.client
    const stop = vi.spyOn(own, 'stop')
    void wf.start({ topic: 'own to shared, stopped' })
    await until(() => wf.currentText.length > 0, 'text streams')

    setOptions({ client: own })
    dispose()
    expect(stop).toHaveBeenCalledTimes(1)
    expect(own.state.status).toBe('aborted')
  })

  it('lets go of its own client once, when it moves from that client (given back as shared) to another shared client, and never of the shared one', async () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const { wf, setOptions, dispose } = workflowRoot({ connection: server.connection })
    const own = wf.client
    const ownReleases = countReleases(own)

    setOptions({ client: own })
    expect(ownReleases()).toBe(0)
    setOptions({ client: shared })
    expect(wf.client).toBe(shared)
    expect(ownReleases()).toBe(1)

    // No listener is left on the client it no longer follows.
    await own.start({ topic: 'left behind' })
    expect(wf.status).toBe('idle')

    dispose()
    expect(ownReleases()).toBe(1)
    expect(sharedReleases()).toBe(0)
  })

  it('keeps its own client when the options go from own to that client as shared and back to own with the same id', () => {
    const server = articleServer()
    const { wf, setOptions, dispose } = workflowRoot({ connection: server.connection, id: 'run' })
    const own = wf.client
    const releases = countReleases(own)

    setOptions({ client: own })
    setOptions({ connection: server.connection, id: 'run' })
    expect(wf.client).toBe(own)
    expect(releases()).toBe(0)

    dispose()
    expect(releases()).toBe(1)
  })

  it('across shared → own → new id → shared → own, lets go of each client it created once and never of the shared one', () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const { wf, setOptions, dispose } = workflowRoot({ client: shared })
    const created = recordClients(() => wf.client)

    setOptions({ connection: server.connection, id: 'one' })
    created.record()
    setOptions({ connection: server.connection, id: 'two' })
    created.record()
    setOptions({ client: shared })
    setOptions({ connection: server.connection, id: 'three' })
    created.record()
    expect(new Set(created.clients()).size).toBe(3)
    expect(created.releases()).toEqual([1, 1, 0])

    dispose()
    expect(created.releases()).toEqual([1, 1, 1])
    expect(sharedReleases()).toBe(0)
  })
})
