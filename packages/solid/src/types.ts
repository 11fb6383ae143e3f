import type { WorkflowActions, WorkflowClient, WorkflowClientState } from '@stepstream/client'

export type { HookOnlyOptions, UseWorkflowOptions, UseWorkflowOwnOptions, UseWorkflowSharedOptions, WorkflowActionName, WorkflowActions } from '@stepstream/client'

/**
 * Reactive getters for every state field (read `wf.status` in JSX or an
 * effect; do not destructure, as with props), the actions, and the client.
 */
export type UseWorkflowResult<TInput = unknown, TOutput = unknown, TState = unknown> = Readonly<WorkflowClientState<TOutput, TState>> &
  Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind it (a new one after `id` changes). */
    readonly client: WorkflowClient<TInput, TOutput, TState>
  }
