import {
  bindActions,
  clientFor,
  ownClientOptions,
  releaseClient,
  type UseWorkflowOptions,
  type WorkflowActions,
  type WorkflowClient,
  type WorkflowClientState,
} from '@stepstream/client'
import { readable, type Readable } from 'svelte/store'

/** A Svelte store of the workflow state (`$wf.status`, `$wf.steps`, …) with the actions on it. */
export interface WorkflowStore<TInput = unknown, TOutput = unknown, TState = unknown>
  extends Readable<WorkflowClientState<TOutput, TState>>,
    Readonly<WorkflowActions<TInput, TOutput, TState>> {
  /** The client behind the store, e.g. to share it with `useWorkflow({ client })`. */
  readonly client: WorkflowClient<TInput, TOutput, TState>
}

const isLive = (state: WorkflowClientState<unknown, unknown>) => state.connection === 'connecting' || state.connection === 'open' || state.connection === 'reconnecting'

/**
 * Whether disconnecting cuts something the client does by itself: a stream in
 * progress, or the look a paused run's client takes at its deadline (a sleep
 * wakes, a signal wait times out), which `disconnect()` cancels and only
 * `resume()` arms again. The state does not say whether a pause has a
 * deadline, so every pause counts: resuming one costs a request that ends at once.
 */
const followsByItself = (state: WorkflowClientState<unknown, unknown>) => state.status === 'paused' || (state.status === 'running' && isLive(state))

/**
 * A store over a `WorkflowClient` that follows the store contract, so `$wf`
 * works in Svelte 4 and 5 and outside components. The connection belongs to
 * the subscribers: when the last one leaves (the component is destroyed) an
 * owned client disconnects, or with `stopOnUnmount` stops the run. If it was
 * mid-stream or paused (a pause's deadline look is cut too), the next first
 * subscriber resumes from the cursor, so a store kept in a module survives
 * navigation.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): WorkflowStore<TInput, TOutput, TState> {
  const own = ownClientOptions(options)
  const client = clientFor(options)
  // The state an owned client was let go in, streaming or paused: resumed for
  // the next subscriber only if it is still that state, since a start() or
  // reset() while nobody listened must not be superseded by a resume.
  let left: WorkflowClientState<TOutput, TState> | undefined

  const { subscribe } = readable(client.state, (set) => {
    const unsubscribe = client.subscribe(set)
    // State may have moved on while nobody listened.
    set(client.state)
    if (left === client.state) void client.resume()
    left = undefined
    return () => {
      unsubscribe()
      if (!own) return
      const resumable = !own.stopOnUnmount && followsByItself(client.state)
      releaseClient(client, own.stopOnUnmount)
      if (resumable) left = client.state
    }
  })
  return { subscribe, ...bindActions(() => client), client }
}
