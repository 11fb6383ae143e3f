import {
  bindActions,
  FollowedClient,
  type UseWorkflowOptions,
  type WorkflowActions,
  type WorkflowClient,
  type WorkflowClientState,
} from '@stepstream/client'
import { onDestroy } from 'svelte'
import { readable, type Readable } from 'svelte/store'

/** A Svelte store of the workflow state (`$wf.status`, `$wf.steps`, …) with the actions on it. */
export interface WorkflowStore<TInput = unknown, TOutput = unknown, TState = unknown>
  extends Readable<WorkflowClientState<TOutput, TState>>,
    Readonly<WorkflowActions<TInput, TOutput, TState>> {
  /** The client behind the store, e.g. to share it with `useWorkflow({ client })`. */
  readonly client: WorkflowClient<TInput, TOutput, TState>
}

/**
 * A store over a `WorkflowClient` that follows the store contract, so `$wf`
 * works in Svelte 4 and 5 and outside components. The connection belongs to
 * the subscribers: when the last one leaves (the component is destroyed) an
 * owned client disconnects, or with `stopOnUnmount` stops the run. If it was
 * mid-stream or paused (a pause's deadline look is cut too), the next first
 * subscriber resumes from the cursor, so a store kept in a module survives
 * navigation.
 *
 * Only a subscriber that stays counts: one that leaves in the same tick it
 * came (`get(wf)`, reading the store) neither lets go of the connection nor
 * resumes it, and the last subscriber leaving is let go of a microtask later,
 * unless another subscribed by then (a block re-rendering its reader).
 *
 * The callbacks belong to whoever made the store: made while a component
 * initialises, its own client calls none of them once that component is
 * destroyed (not even one already on its way, such as a finish or a stop's
 * abort answer); made in a module, they are the module's for good. Either
 * way the client is not disposed: the store may be subscribed to again.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): WorkflowStore<TInput, TOutput, TState> {
  // Read once: the store never switches clients, it only lets go of its own.
  const followed = new FollowedClient(options)
  const { client } = followed
  try {
    onDestroy(() => followed.mute(true))
  } catch {
    // Not made while a component initialises (a module, a test, a handler): nobody to outlive.
  }
  // The state an owned client was let go in while it followed the run by
  // itself (see releaseClient): resumed for the next subscriber only if still current.
  let left: WorkflowClientState<TOutput, TState> | undefined
  // Whether anyone subscribes now, and whether they all came in this tick.
  let subscribed = false
  let fresh = false

  const { subscribe } = readable(client.state, (set) => {
    const unsubscribe = client.subscribe(set)
    // State may have moved on while nobody listened.
    set(client.state)
    subscribed = true
    fresh = true
    queueMicrotask(() => {
      fresh = false
      // Still here: a subscriber that stays, for whom a run let go of goes on.
      if (!subscribed) return
      if (left === client.state) void client.resume()
      left = undefined
    })
    return () => {
      unsubscribe()
      subscribed = false
      // Subscribed and gone in one tick (get(wf)): it held no connection to let go of.
      if (fresh) return
      queueMicrotask(() => {
        if (!subscribed) left = followed.release()
      })
    }
  })
  return { subscribe, ...bindActions(() => client), client }
}
