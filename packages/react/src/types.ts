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
