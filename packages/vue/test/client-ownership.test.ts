import { WorkflowClient } from '@stepstream/client'
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { effectScope, shallowRef } from 'vue'
import { useWorkflow, type UseWorkflowOptions } from '@stepstream/vue'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { countReleases, recordClients } from '../../../test/fixtures/client-ownership.js'

describe('useWorkflow lets go of exactly the clients it created (Vue)', () => {
  it('keeps its own client going when the options hand it back as a shared client, and lets go of it when the scope is disposed', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const options = shallowRef<UseWorkflowOptions>({ connection: server.connection })
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow(options))!
    const own = wf.client.value
    const releases = countReleases(own)
    void wf.start({ topic: 'own to shared' })
    await until(() => wf.currentText.value.length > 0, 'text streams')

    options.value = { client: own }
    // Still the client it follows, so still its to let go: nothing is cut now.
    expect(wf.client.value).toBe(own)
    expect(releases()).toBe(0)
    expect(own.state.connection).toBe('open')

    scope.stop()
    expect(releases()).toBe(1)
    expect(own.state.connection).toBe('closed')
    await flushPromises()
  })

  it('lets go of its own client once, when it moves from that client (given back as shared) to another shared client, and never of the shared one', async () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const options = shallowRef<UseWorkflowOptions>({ connection: server.connection })
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow(options))!
    const own = wf.client.value
    const ownReleases = countReleases(own)

    options.value = { client: own }
    options.value = { client: shared }
    expect(wf.client.value).toBe(shared)
    expect(ownReleases()).toBe(1)

    // No listener is left on the client it no longer follows.
    await own.start({ topic: 'left behind' })
    expect(wf.status.value).toBe('idle')

    scope.stop()
    expect(ownReleases()).toBe(1)
    expect(sharedReleases()).toBe(0)
  })

  it('keeps its own client when the options go from own to that client as shared and back to own with the same id', async () => {
    const server = articleServer()
    const options = shallowRef<UseWorkflowOptions>({ connection: server.connection, id: 'run' })
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow(options))!
    const own = wf.client.value
    const releases = countReleases(own)

    options.value = { client: own }
    options.value = { connection: server.connection, id: 'run' }
    expect(wf.client.value).toBe(own)
    expect(releases()).toBe(0)

    scope.stop()
    expect(releases()).toBe(1)
  })

  it('across shared → own → new id → shared → own, lets go of each client it created once and never of the shared one', async () => {
    const server = articleServer()
    const shared = new WorkflowClient({ connection: server.connection })
    const sharedReleases = countReleases(shared)
    const options = shallowRef<UseWorkflowOptions>({ client: shared })
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow(options))!
    const created = recordClients(() => wf.client.value)

    options.value = { connection: server.connection, id: 'one' }
    created.record()
    options.value = { connection: server.connection, id: 'two' }
    created.record()
    options.value = { client: shared }
    options.value = { connection: server.connection, id: 'three' }
    created.record()
    expect(new Set(created.clients()).size).toBe(3)
    expect(created.releases()).toEqual([1, 1, 0])

    scope.stop()
    expect(created.releases()).toEqual([1, 1, 1])
    expect(sharedReleases()).toBe(0)
  })
})
