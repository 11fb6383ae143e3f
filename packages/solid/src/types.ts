import type {
  AdapterOnlyOptions,
  AdapterOptions,
  OwnClientOptions,
  SharedClientOptions,
  WorkflowActionName,
  WorkflowActions,
  WorkflowClient,
  WorkflowClientState,
} from '@stepstream/client'

export type { WorkflowActionName, WorkflowActions }

/** Options only the adapter understands (`id`, `stopOnUnmount`); the rest go to `WorkflowClient`. */
export type HookOnlyOptions = AdapterOnlyOptions
/** The adapter creates and owns a client built from these options. */
export type UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown> = OwnClientOptions<TInput, TOutput, TState>
/** The adapter follows a client someone else owns, e.g. one shared between components. */
export type UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> = SharedClientOptions<TInput, TOutput, TState>
export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> = AdapterOptions<TInput, TOutput, TState>

/**
 * Reactive getters for every state field (read `wf.status` in JSX or an
 * effect; do not destructure, as with props), the actions, and the client.
 */
export type UseWorkflowResult<TInput = unknown, TOutput = unknown, TState = unknown> = Readonly<WorkflowClientState<TOutput, TState>> &
  Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind it (a new one after `id` changes). */
    readonly client: WorkflowClient<TInput, TOutput, TState>
  }
