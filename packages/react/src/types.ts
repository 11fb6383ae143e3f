import type { WorkflowActions, WorkflowClient, WorkflowClientState } from '@stepstream/client'

export type { HookOnlyOptions, UseWorkflowOptions, UseWorkflowOwnOptions, UseWorkflowSharedOptions, WorkflowActionName, WorkflowActions } from '@stepstream/client'

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
