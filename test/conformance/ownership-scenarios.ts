// Which clients an adapter lets go of (see FollowedClient in the client): exactly
// the ones it created, each once, when it stops following it or unmounts, the way
// the last own options that applied to it said; a shared client never, even its
// own handed back to it as shared.
import { WorkflowClient } from '@stepstream/client'
import { waitFor } from '@testing-library/dom'
import { expect, vi } from 'vitest'
import { countReleases, recordClients } from '../fixtures/client-ownership.js'
import type { ArticleClient } from './harness.js'
import type { Scenario } from './scenarios.js'
import { shows, view } from './view.js'
import { halfDraft, startServer, type ArticleInput, type ArticleOutput } from './workflows.js'

/**
 * A fresh server, and a client on it that the scenario owns (as another
 * component would) to share with the mounted one as `{ client }`, with how
 * often it was let go of: never, whatever the mounted one does.
 */
function serverWithSharedClient() {
  const server = startServer()
  const shared: ArticleClient = new WorkflowClient<ArticleInput, ArticleOutput>({ connection: server.connection, body: { workflow: 'article' } })
  return { server, shared, sharedReleases: countReleases(shared) }
}

/**
 * By the next macrotask every framework has rendered what its adapter told it
 * (React's external-store updates, Vue's and Svelte's microtask batches).
 */
const rendered = () => new Promise((resolve) => setTimeout(resolve, 0))

export const ownershipScenarios: Scenario[] = [
  {
    name: 'ownership: its own client handed back as shared keeps streaming, and is let go of on unmount',
    changesOptions: true,
    async run(harness) {
      const server = startServer({ gated: true })
      const mounted = await harness.mount({ connection: server.connection, workflow: 'article' })
      const own = mounted.client
      const releases = countReleases(own)
      void mounted.actions.start({ topic: 'Own to shared' })
      await shows({ status: 'running', text: halfDraft })

      await mounted.update({ client: own })
      // Still the client it follows, so still its to let go: nothing is cut now.
      expect(mounted.client).toBe(own)
      expect(releases()).toBe(0)
      expect(own.state.connection).toBe('open')

      await mounted.unmount()
      expect(releases()).toBe(1)
      expect(own.state.connection).toBe('closed')
    },
  },
  {
    name: 'ownership: stopOnUnmount of its own client handed back as shared still applies: unmount stops the run',
    changesOptions: true,
    async run(harness) {
      const server = startServer({ gated: true })
      const mounted = await harness.mount({ connection: server.connection, workflow: 'article', stopOnUnmount: true })
      const own = mounted.client
      const stop = vi.spyOn(own, 'stop')
      void mounted.actions.start({ topic: 'Own to shared, stopped' })
      await shows({ status: 'running', text: halfDraft })

      await mounted.update({ client: own })
      await mounted.unmount()
      expect(stop).toHaveBeenCalledTimes(1)
      expect(own.state.status).toBe('aborted')
    },
  },
  {
    name: 'ownership: a new id and stopOnUnmount in one change: the client left is let go of as its own options said, not the new ones',
    changesOptions: true,
    async run(harness) {
      const server = startServer({ gated: true })
      const own = { connection: server.connection, workflow: 'article' } as const
      const mounted = await harness.mount({ ...own, id: 'one', stopOnUnmount: true })
      const first = mounted.client
      const firstStop = vi.spyOn(first, 'stop')
      const firstDisconnect = vi.spyOn(first, 'disconnect')
      void mounted.actions.start({ topic: 'Stopped when left' })
      await shows({ status: 'running', text: halfDraft })

      await mounted.update({ ...own, id: 'two', stopOnUnmount: false })
      const second = mounted.client
      expect(second).not.toBe(first)
      expect(firstStop).toHaveBeenCalledTimes(1)
      expect(firstDisconnect).not.toHaveBeenCalled()
      expect(first.state.status).toBe('aborted')

      const secondStop = vi.spyOn(second, 'stop')
      const secondDisconnect = vi.spyOn(second, 'disconnect')
      await mounted.update({ ...own, id: 'three', stopOnUnmount: true })
      expect(secondDisconnect).toHaveBeenCalledTimes(1)
      expect(secondStop).not.toHaveBeenCalled()
    },
  },
  {
    name: 'ownership: from its own client, handed back as shared, to another shared client: its own is let go of once, the shared one never',
    changesOptions: true,
    async run(harness) {
      const { server, shared, sharedReleases } = serverWithSharedClient()
      const mounted = await harness.mount({ connection: server.connection, workflow: 'article' })
      const own = mounted.client
      const ownReleases = countReleases(own)

      await mounted.update({ client: own })
      expect(ownReleases()).toBe(0)
      await mounted.update({ client: shared })
      expect(mounted.client).toBe(shared)
      expect(ownReleases()).toBe(1)

      // No listener is left on the client it no longer follows.
      await own.start({ topic: 'Left behind' })
      await rendered()
      expect(view().status).toBe('idle')

      await mounted.unmount()
      expect(ownReleases()).toBe(1)
      expect(sharedReleases()).toBe(0)
    },
  },
  {
    name: 'ownership: own options → its own client as shared → own options with the same id keep that client',
    changesOptions: true,
    async run(harness) {
      const server = startServer()
      const mounted = await harness.mount({ connection: server.connection, workflow: 'article', id: 'run' })
      const own = mounted.client
      const releases = countReleases(own)

      await mounted.update({ client: own })
      await mounted.update({ connection: server.connection, workflow: 'article', id: 'run' })
      expect(mounted.client).toBe(own)
      expect(releases()).toBe(0)

      await mounted.unmount()
      expect(releases()).toBe(1)
    },
  },
  {
    name: 'ownership: across shared → own → new id → shared → own, each client it created is let go of once, the shared one never',
    changesOptions: true,
    async run(harness) {
      const { server, shared, sharedReleases } = serverWithSharedClient()
      const mounted = await harness.mount({ client: shared })
      const created = recordClients(() => mounted.client)

      await mounted.update({ connection: server.connection, workflow: 'article', id: 'one' })
      created.record()
      await mounted.update({ connection: server.connection, workflow: 'article', id: 'two' })
      created.record()
      await mounted.update({ client: shared })
      await mounted.update({ connection: server.connection, workflow: 'article', id: 'three' })
      created.record()
      expect(new Set(created.clients()).size).toBe(3)
      expect(created.releases()).toEqual([1, 1, 0])

      await mounted.unmount()
      expect(created.releases()).toEqual([1, 1, 1])
      expect(sharedReleases()).toBe(0)
    },
  },
  {
    // Needs no new options, so the Svelte store form (which reads its options once) runs it too.
    name: 'ownership: its own client, shared with a second component, is let go of by the component that created it, not the one it was shared with',
    async run(harness) {
      const server = startServer({ gated: true })
      const owner = await harness.mount({ connection: server.connection, workflow: 'article' })
      const own = owner.client
      const releases = countReleases(own)
      const follower = await harness.mount({ client: own })
      void owner.actions.start({ topic: 'Shared between two' })
      // Two views on the page now: read the client, not the screen.
      await waitFor(() => expect(own.state.currentText).toBe(halfDraft))

      await follower.unmount()
      expect(releases()).toBe(0)
      expect(own.state.connection).toBe('open')

      await owner.unmount()
      expect(releases()).toBe(1)
      expect(own.state.connection).toBe('closed')
    },
  },
]
