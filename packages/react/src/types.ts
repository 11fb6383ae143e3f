import type { WorkflowClient, WorkflowClientOptions, WorkflowClientState } from '@stepstream/client'

/** Options only the hook understands; the rest go to `WorkflowClient`. */
export interface HookOnlyOptions {
  /**
   * Identifies the run this hook follows. A new id lets go of the current
   * client (its stream is aborted) and starts over with a fresh one.
   */
  id?: string
  /**
   * What letting go of the client (unmount, new `id`) means: `false`
   * (default) only closes the local connection, so the server run goes on
   * and can be attached to later; `true` aborts the run on the server.
   */
  stopOnUnmount?: boolean
}

/** The hook creates and owns a client built from these options. */
export interface UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown>
  extends WorkflowClientOptions<TInput, TOutput, TState>,
    HookOnlyOptions {
  client?: undefined
}

/**
 * The hook follows a client someone else owns (e.g. one shared between
 * components). The owner configures it and decides when it is torn down, so
 * the client options and the lifetime options do not apply here.
 */
export interface UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> {
  client: WorkflowClient<TInput, TOutput, TState>
}

export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> =
  | UseWorkflowOwnOptions<TInput, TOutput, TState>
  | UseWorkflowSharedOptions<TInput, TOutput, TState>

export type WorkflowActionName = 'start' | 'approve' | 'signal' | 'attach' | 'resume' | 'stop' | 'disconnect' | 'reset'

/** The client's actions as plain functions, stable for the life of the hook. */
export type WorkflowActions<TInput = unknown, TOutput = unknown, TState = unknown> = Pick<
  WorkflowClient<TInput, TOutput, TState>,
  WorkflowActionName
>

/**
 * The state the component rendered with, plus the actions. State fields are
 * read through getters: the hook re-renders the component only when a field
 * it has read changes.
 */
export type UseWorkflowResult<TInput = unknown, TOutput = unknown, TState = unknown> = Readonly<
  WorkflowClientState<TOutput, TState>
> &
  Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind the hook, e.g. to share it with `useWorkflow({ client })`. */
    readonly client: WorkflowClient<TInput, TOutput, TState>
  }
