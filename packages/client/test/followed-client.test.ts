import { describe, expect, it, vi } from 'vitest'
import { FollowedClient, WorkflowClient, type AdapterOptions, type WorkflowClientOptions, type WorkflowConnection } from '@stepstream/client'
import { countReleases, recordClients } from '../../../test/fixtures/client-ownership.js'

// Nothing here starts a run: what is checked is which client is followed and
// how it is let go of, not what it streams.
const connection: WorkflowConnection = { send: () => Promise.reject(new Error('no run is started in these tests')) }

/** Follows options the way Vue, Solid and Svelte do: `next` on every change. */
function follow(initial: AdapterOptions) {
  let followed = new FollowedClient(initial)
  return {
    get followed() {
      return followed
    },
    set: (options: AdapterOptions) => (followed = followed.next(options)),
  }
}

/** How a client was let go of: `stop()` with `stopOnUnmount`, `disconnect()` without. */
function spyRelease(client: WorkflowClient) {
  return { stop: vi.spyOn(client, 'stop'), disconnect: vi.spyOn(client, 'disconnect') }
}

describe('FollowedClient: which client an adapter follows', () => {
  it('creates a client of its own from own options, and follows a shared client as it is', () => {
    const own = new FollowedClient({ connection, throttleMs: 5 })
    expect(own.client).toBeInstanceOf(WorkflowClient)
    expect(own.owned).toBe(true)

    const shared = new WorkflowClient({ connection })
    const following = new FollowedClient({ client: shared })
    expect(following.client).toBe(shared)
    expect(following.owned).toBe(false)
  })

  it('says which options still follow its client', () => {
    const shared = new WorkflowClient({ connection })
    const own = new FollowedClient({ connection, id: 'one' })
    expect(own.follows({ connection, id: 'one', stopOnUnmount: true })).toBe(true)
    expect(own.follows({ client: own.client })).toBe(true)
    expect(own.follows({ connection, id: 'two' })).toBe(false)
    expect(own.follows({ connection })).toBe(false)
    expect(own.follows({ client: shared })).toBe(false)

    const following = new FollowedClient({ client: shared })
    expect(following.follows({ client: shared })).toBe(true)
    expect(following.follows({ client: own.client })).toBe(false)
    // Own options always need a client of their own, even without an id.
    expect(following.follows({ connection })).toBe(false)
  })
})

describe('FollowedClient.next: keep, reconfigure or switch', () => {
  it('keeps its own client for own options with the same id, and hands them to it without the adapter’s options', () => {
    const wf = follow({ connection, id: 'run' })
    const first = wf.followed
    const setOptions = vi.spyOn(first.client, 'setOptions')
    const releases = countReleases(first.client)
    const onFinish = () => {}

    wf.set({ connection, id: 'run', stopOnUnmount: true, onFinish })
    expect(wf.followed).toBe(first)
    expect(setOptions).toHaveBeenCalledWith({ connection, onFinish })
    expect(releases()).toBe(0)
  })

  it('switches to a new client for a new id and lets go of the old one once, the way its own options said', () => {
    const wf = follow({ connection, id: 'one', stopOnUnmount: true })
    const first = wf.followed
    const released = spyRelease(first.client)

    // The new options' stopOnUnmount is the new client's, not the old one's.
    wf.set({ connection, id: 'two', stopOnUnmount: false })
    expect(wf.followed.client).not.toBe(first.client)
    expect(wf.followed.owned).toBe(true)
    expect(released.stop).toHaveBeenCalledTimes(1)
    expect(released.disconnect).not.toHaveBeenCalled()

    const second = spyRelease(wf.followed.client)
    wf.set({ connection, id: 'three', stopOnUnmount: true })
    expect(second.disconnect).toHaveBeenCalledTimes(1)
    expect(second.stop).not.toHaveBeenCalled()
    expect(released.stop).toHaveBeenCalledTimes(1)
  })

  it('keeps its own client handed back as shared, still its own: let go of on release, the way its last own options said', () => {
    const wf = follow({ connection, stopOnUnmount: true })
    const first = wf.followed
    const released = spyRelease(first.client)

    wf.set({ client: first.client })
    expect(wf.followed).toBe(first)
    expect(wf.followed.owned).toBe(true)
    expect(released.stop).not.toHaveBeenCalled()

    wf.followed.release()
    expect(released.stop).toHaveBeenCalledTimes(1)
    expect(released.disconnect).not.toHaveBeenCalled()
  })

  it('goes from own to that client as shared and back to own with the same id without a new client, and only reconfigures it', () => {
    const wf = follow({ connection, id: 'run' })
    const first = wf.followed
    const setOptions = vi.spyOn(first.client, 'setOptions')
    const released = spyRelease(first.client)

    wf.set({ client: first.client })
    expect(setOptions).not.toHaveBeenCalled()
    wf.set({ connection, id: 'run', stopOnUnmount: true })
    expect(wf.followed).toBe(first)
    expect(setOptions).toHaveBeenCalledWith({ connection })
    expect(released.stop).not.toHaveBeenCalled()
    expect(released.disconnect).not.toHaveBeenCalled()

    // The own options that applied last say how it is let go of.
    wf.followed.release()
    expect(released.stop).toHaveBeenCalledTimes(1)
  })

  it('lets go of its own client once when it moves from it (handed back as shared) to another shared client, and never of a shared one', () => {
    const shared = new WorkflowClient({ connection })
    const sharedReleases = countReleases(shared)
    const wf = follow({ connection })
    const first = wf.followed
    const ownReleases = countReleases(first.client)

    wf.set({ client: first.client })
    wf.set({ client: shared })
    expect(wf.followed.client).toBe(shared)
    expect(wf.followed.owned).toBe(false)
    expect(ownReleases()).toBe(1)

    expect(wf.followed.release()).toBeUndefined()
    expect(ownReleases()).toBe(1)
    expect(sharedReleases()).toBe(0)
  })

  it('across shared → own → new id → shared → own, lets go of each client it created once and never of the shared one', () => {
    const shared = new WorkflowClient({ connection })
    const sharedReleases = countReleases(shared)
    const wf = follow({ client: shared })
    const created = recordClients(() => wf.followed.client)

    wf.set({ client: shared })
    expect(wf.followed.client).toBe(shared)
    wf.set({ connection, id: 'one' })
    created.record()
    wf.set({ connection, id: 'two' })
    created.record()
    wf.set({ client: shared })
    wf.set({ connection, id: 'three' })
    created.record()
    expect(new Set(created.clients()).size).toBe(3)
    expect(created.releases()).toEqual([1, 1, 0])

    wf.followed.release()
    expect(created.releases()).toEqual([1, 1, 1])
    expect(sharedReleases()).toBe(0)
  })
})

describe('FollowedClient.configure: only what follows its own client applies', () => {
  it('leaves the client alone for options it does not follow as own: another id, or a shared client', () => {
    const followed = new FollowedClient({ connection, id: 'one', stopOnUnmount: true })
    const setOptions = vi.spyOn(followed.client, 'setOptions')
    const released = spyRelease(followed.client)

    followed.configure({ connection, id: 'two', stopOnUnmount: false })
    followed.configure({ client: followed.client })
    expect(setOptions).not.toHaveBeenCalled()

    followed.release()
    expect(released.stop).toHaveBeenCalledTimes(1)
    expect(released.disconnect).not.toHaveBeenCalled()
  })

  it('never configures a shared client: its owner does', () => {
    const shared = new WorkflowClient({ connection })
    const setOptions = vi.spyOn(shared, 'setOptions')
    new FollowedClient({ client: shared }).configure({ client: shared })
    expect(setOptions).not.toHaveBeenCalled()
  })
})

describe('FollowedClient with an adapter’s own options shape', () => {
  // Vue's own options carry refs: the adapter reads the ones FollowedClient
  // compares and builds the client's part itself.
  interface RefOwnOptions {
    id?: string
    stopOnUnmount?: boolean
    client?: undefined
    connection: WorkflowConnection
    body: { value: Record<string, unknown> }
  }
  const clientOptions = (own: RefOwnOptions): WorkflowClientOptions => ({
    connection: own.connection,
    get body() {
      return own.body.value
    },
  })

  it('builds and reconfigures its client with the adapter’s clientOptions', () => {
    const body = { value: { workflow: 'article' } }
    const followed = new FollowedClient<unknown, unknown, unknown, RefOwnOptions>({ connection, body, id: 'run' }, clientOptions)
    const setOptions = vi.spyOn(followed.client, 'setOptions')

    const next = followed.next({ connection, body, id: 'run' })
    expect(next).toBe(followed)
    const applied = setOptions.mock.calls[0]![0]
    body.value = { workflow: 'essay' }
    expect(applied.body).toEqual({ workflow: 'essay' })

    // A new client is built the same way.
    const other = followed.next({ connection, body, id: 'other' })
    expect(other.client).not.toBe(followed.client)
    const otherSetOptions = vi.spyOn(other.client, 'setOptions')
    other.next({ connection, body, id: 'other' })
    body.value = { workflow: 'article' }
    expect(otherSetOptions.mock.calls[0]![0].body).toEqual({ workflow: 'article' })
  })
})
