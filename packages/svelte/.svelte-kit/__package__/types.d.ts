import type { AdapterOnlyOptions, AdapterOptions, OwnClientOptions, SharedClientOptions, WorkflowActionName, WorkflowActions } from '@stepstream/client';
export type { WorkflowActionName, WorkflowActions };
/** Options only the adapter understands (`id`, `stopOnUnmount`); the rest go to `WorkflowClient`. */
export type HookOnlyOptions = AdapterOnlyOptions;
/** The adapter creates and owns a client built from these options. */
export type UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown> = OwnClientOptions<TInput, TOutput, TState>;
/** The adapter follows a client someone else owns, e.g. one shared between components. */
export type UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> = SharedClientOptions<TInput, TOutput, TState>;
export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> = AdapterOptions<TInput, TOutput, TState>;
