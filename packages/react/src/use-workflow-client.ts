import { clientOptionsOf, releaseClient, WorkflowClient } from '@stepstream/client'
import { useEffect, useRef, useState, type RefObject } from 'react'
import type { UseWorkflowOptions, UseWorkflowOwnOptions } from './types.js'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'

interface OwnedClient<TInput, TOutput, TState> {
  id: string | undefined
  client: WorkflowClient<TInput, TOutput, TState>
}

function createOwned<TInput, TOutput, TState>(options: UseWorkflowOwnOptions<TInput, TOutput, TState>): OwnedClient<TInput, TOutput, TState> {
  return { id: options.id, client: new WorkflowClient(clientOptionsOf(options)) }
}

/**
 * The client behind one hook instance: the shared one if given, otherwise one
 * this hook creates once (lazy state, which React keeps, unlike `useMemo`),
 * replaces when `id` changes, keeps configured with the latest options, and
 * lets go of when it is no longer used.
 */
export function useWorkflowClient<TInput, TOutput, TState>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): WorkflowClient<TInput, TOutput, TState> {
  const own = options.client ? undefined : (options as UseWorkflowOwnOptions<TInput, TOutput, TState>)
  const [owned, setOwned] = useState(() => (own ? createOwned(own) : null))

  let current = owned
  // The client this hook created stays its own while it follows it, even when
  // the options hand that same client back as a shared one (its own
  // `workflow.client`): it is still this hook's to let go of, once, when it
  // stops following it (a new id, another client, unmount).
  if (own ? !owned || owned.id !== own.id : owned && owned.client !== options.client) {
    // Adjusting state while rendering: React drops this render and renders
    // again at once with the new value. A client does nothing until an action
    // is called, so one made by a dropped render is simply collected.
    current = own ? createOwned(own) : null
    setOwned(current)
  }
  const ownedClient = current?.client

  // From the last own options, so an owned client handed back as shared is
  // still let go of the way they said.
  const stopOnUnmount = useRef(false)
  useIsomorphicLayoutEffect(() => {
    // Every commit, so callbacks and options are never stale and the client
    // is never recreated for a new callback identity.
    if (!ownedClient || !own) return
    ownedClient.setOptions(clientOptionsOf(own))
    stopOnUnmount.current = own.stopOnUnmount ?? false
  })

  useReleaseWhenUnused(ownedClient, stopOnUnmount)

  return options.client ?? (ownedClient as WorkflowClient<TInput, TOutput, TState>)
}

interface PendingRelease {
  /** Compared by identity only. */
  client: object
  cancelled: boolean
  /** The state a client was let go in, if letting go cut something it was doing by itself (see releaseClient). */
  left?: object | undefined
}

/**
 * Disconnects (or, with `stopOnUnmount`, stops) a client the hook no longer
 * uses: on unmount and when `id` brings a new client. The release waits a
 * microtask because StrictMode's simulated unmount is followed synchronously
 * by a remount with the same client, which cancels it: a development-only
 * double mount must neither drop the stream nor abort the server run. A
 * hidden `<Activity>` releases for real and keeps the client; shown again,
 * it resumes what the release cut (a stream, a paused run's deadline look)
 * if nothing happened to the client since.
 */
function useReleaseWhenUnused<TInput, TOutput, TState>(
  client: WorkflowClient<TInput, TOutput, TState> | undefined,
  stopOnUnmount: RefObject<boolean>,
): void {
  const pending = useRef<PendingRelease | null>(null)
  useEffect(() => {
    if (!client) return
    const previous = pending.current
    if (previous?.client === client) {
      previous.cancelled = true
      if (previous.left === client.state) void client.resume()
    }
    return () => {
      const release: PendingRelease = { client, cancelled: false }
      pending.current = release
      queueMicrotask(() => {
        if (release.cancelled) return
        release.left = releaseClient(client, stopOnUnmount.current)
      })
    }
  }, [client, stopOnUnmount])
}
