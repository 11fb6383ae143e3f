import { WorkflowClient } from '@stepstream/client'
import { flushSync } from 'svelte'
import { describe, expect, it, vi } from 'vitest'
import { createWorkflow, useWorkflow, type UseWorkflowOptions, type Workflow } from '@stepstream/svelte'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { countReleases, recordClients } from '../../../test/fixtures/client-ownership.js'

/** One `createWorkflow` in an `$effect.root`, following options set from outside. */
function workflowRoot(initial: UseWorkflowOptions) {
  let options = $state.raw(initial)
  let wf!: Workflow
  const cleanup = $effect.root(() => {
    wf = createWorkflow(() => options)
  })
  flushSync()
  return {
    wf,
    setOptions(next: UseWorkflowOptions) {
      options = next
      flushSync()
    },
    cleanup,
  }
}

describe('createWorkflow lets go of exactly the clients it created (Svelte runes)', () => {
  it('keeps its own client going when the options hand it back as a shared client, and lets go of it on cleanup', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const { wf, setOptions, cleanup } = workflowRoot({ connection: server.connection })
    const own = wf.client
    const releases = countReleases(own)
    void wf.start({ topic: 'own to shared' })
    await until(() => wf.currentText.length > 0, 'text streams')

    setOptions({ client: own })
    // Still the client it follows, so still its to let go: nothing is cut now.
    expect(wf.client).toBe(own)
    expect(releases()).toBe(0)
    expect(own.state.connection).toBe('open')

    cleanup()
    expect(releases()).toBe(1)
    expect(own.state.connection).toBe('closed')
  })

  it('lets go of its own client handed back as shared the way its own options said: with stopOnUnmount, cleanup stops the run', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const { wf, setOptions, cleanup } = workflowRoot({ connection: server.connection, stopOnUnmount: true })
    const own = wf.client
    const stop = vi.spyOn(own, 'stop')
    void wf.start({ topic: 'own to shared, stopped' })
    await until(() => wf.currentText.length > 0, 'text streams')

    setOptions({ client: own })
    cleanup()
    expect(stop).toHaveBeenCalledTimes(1)
    expect(own.state.status).toBe('aborted')
  })

  it('lets go of its own client once, when it moves from that client (given back as shared) to another shared client, and never of the shared one', async () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const { wf, setOptions, cleanup } = workflowRoot({ connection: server.connection })
    const own = wf.client
    const ownReleases = countReleases(own)

    setOptions({ client: own })
    expect(ownReleases()).toBe(0)
    setOptions({ client: shared })
    expect(wf.client).toBe(shared)
    expect(ownReleases()).toBe(1)

    // No listener is left on the client it no longer follows.
    await own.start({ topic: 'left behind' })
    flushSync()
    expect(wf.status).toBe('idle')

    cleanup()
    expect(ownReleases()).toBe(1)
    expect(sharedReleases()).toBe(0)
  })

  it('keeps its own client when the options go from own to that client as shared and back to own with the same id', () => {
    const server = articleServer()
    const { wf, setOptions, cleanup } = workflowRoot({ connection: server.connection, id: 'run' })
    const own = wf.client
    const releases = countReleases(own)

    setOptions({ client: own })
    setOptions({ connection: server.connection, id: 'run' })
    expect(wf.client).toBe(own)
    expect(releases()).toBe(0)

    cleanup()
    expect(releases()).toBe(1)
  })

  it('across shared → own → new id → shared → own, lets go of each client it created once and never of the shared one', () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const { wf, setOptions, cleanup } = workflowRoot({ client: shared })
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

    cleanup()
    expect(created.releases()).toEqual([1, 1, 1])
    expect(sharedReleases()).toBe(0)
  })
})

describe('useWorkflow, the store form, lets go of exactly the client it created', () => {
  // Its options are read once, so it cannot switch clients: a store over
  // another store's own client (handed over as shared) is the case left.
  it('leaves a store’s own client, handed to another store as shared, to the store that created it', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const owner = useWorkflow({ connection: server.connection })
    const own = owner.client
    const releases = countReleases(own)
    const follower = useWorkflow({ client: own })
    const offOwner = owner.subscribe(() => {})
    const offFollower = follower.subscribe(() => {})
    void owner.start({ topic: 'own to shared' })
    await until(() => own.state.currentText.length > 0, 'text streams')

    offFollower()
    expect(releases()).toBe(0)
    expect(own.state.connection).toBe('open')

    offOwner()
    expect(releases()).toBe(1)
    expect(own.state.connection).toBe('closed')
  })
})
