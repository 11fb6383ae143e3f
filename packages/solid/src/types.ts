import type { WorkflowClient, WorkflowClientOptions, WorkflowClientState } from '@stepstream/client'

/** Options only the adapter understands; the rest go to `WorkflowClient`. */
export interface HookOnlyOptions {
  /**
   * Identifies the run this adapter follows. A new id (from an options
   * accessor) lets go of the current client (its stream is aborted) and
   * starts over with a fresh one.
   */
  id?: string
  /**
   * What letting go of the client (owner cleanup, new `id`) means: `false`
   * (default) only closes the local connection, so the server run goes on and
   * can be attached to later; `true` aborts the run on the server.
   */
  stopOnUnmount?: boolean
}

/** The adapter creates and owns a client built from these options. */
export interface UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown>
  extends WorkflowClientOptions<TInput, TOutput, TState>,
    HookOnlyOptions {
  client?: undefined
}

/**
 * The adapter follows a client someone else owns (e.g. one shared between
 * components): the owner configures it and decides when it is torn down.
 */
export interface UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> {
  client: WorkflowClient<TInput, TOutput, TState>
}

export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> =
  | UseWorkflowOwnOptions<TInput, TOutput, TState>
  | UseWorkflowSharedOptions<TInput, TOutput, TState>

export type WorkflowActionName = 'start' | 'approve' | 'signal' | 'attach' | 'resume' | 'stop' | 'disconnect' | 'reset'

/** The client's actions as plain functions; they always call the current client. */
export type WorkflowActions<TInput = unknown, TOutput = unknown, TState = unknown> = Pick<
  WorkflowClient<TInput, TOutput, TState>,
  WorkflowActionName
>

/**
 * Reactive getters for every state field (read `wf.status` in JSX or an
 * effect; do not destructure, as with props), the actions, and the client.
 */
export type UseWorkflowResult<TInput = unknown, TOutput = unknown, TState = unknown> = Readonly<WorkflowClientState<TOutput, TState>> &
  Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind it (a new one after `id` changes). */
    readonly client: WorkflowClient<TInput, TOutput, TState>
  }
