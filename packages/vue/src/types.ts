import type { WorkflowActionName, WorkflowActions, WorkflowClient, WorkflowClientOptions, WorkflowClientState } from '@stepstream/client'
import type { ComputedRef, MaybeRefOrGetter, ShallowRef } from 'vue'

/** Options only the composable understands; the rest go to `WorkflowClient`. */
export interface HookOnlyOptions {
  /**
   * Identifies the run this composable follows; a ref or getter, so it can
   * change. A new id lets go of the current client (its stream is aborted)
   * and starts over with a fresh one.
   */
  id?: MaybeRefOrGetter<string | undefined>
  /**
   * What letting go of the client (scope disposal, new `id`) means: `false`
   * (default) only closes the local connection, so the server run goes on and
   * can be attached to later; `true` aborts the run on the server.
   */
  stopOnUnmount?: boolean
}

/** The composable creates and owns a client built from these options. */
export interface UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown>
  extends Omit<WorkflowClientOptions<TInput, TOutput, TState>, 'body'>,
    HookOnlyOptions {
  /** Extra body fields for every request; a ref or getter is read at each request. */
  body?: MaybeRefOrGetter<Record<string, unknown> | undefined>
  client?: undefined
}

/**
 * The composable follows a client someone else owns (e.g. one shared between
 * components): the owner configures it and decides when it is torn down.
 */
export interface UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> {
  /** A ref or getter (e.g. another composable's `client`, which changes with its `id`) is followed as it changes. */
  client: MaybeRefOrGetter<WorkflowClient<TInput, TOutput, TState>>
}

export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> =
  | UseWorkflowOwnOptions<TInput, TOutput, TState>
  | UseWorkflowSharedOptions<TInput, TOutput, TState>

export type { WorkflowActionName, WorkflowActions }

/** One readonly ref per state field, so destructuring keeps reactivity. */
export type WorkflowRefs<TOutput = unknown, TState = unknown> = {
  readonly [K in keyof WorkflowClientState<TOutput, TState>]: ComputedRef<WorkflowClientState<TOutput, TState>[K]>
}

/** What `useWorkflow` returns: a readonly ref per state field, the actions, and the client. */
export type UseWorkflowResult<TInput = unknown, TOutput = unknown, TState = unknown> = WorkflowRefs<TOutput, TState> &
  Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind the composable (a new one after `id` changes). */
    readonly client: Readonly<ShallowRef<WorkflowClient<TInput, TOutput, TState>>>
  }
