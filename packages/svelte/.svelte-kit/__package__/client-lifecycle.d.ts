import { WorkflowClient, type WorkflowClientOptions } from '@stepstream/client';
import type { UseWorkflowOptions, UseWorkflowOwnOptions, WorkflowActions } from './types.js';
export declare function ownOptions<TInput, TOutput, TState>(options: UseWorkflowOptions<TInput, TOutput, TState>): UseWorkflowOwnOptions<TInput, TOutput, TState> | undefined;
export declare function clientOptions<TInput, TOutput, TState>(options: UseWorkflowOwnOptions<TInput, TOutput, TState>): WorkflowClientOptions<TInput, TOutput, TState>;
export declare function clientFor<TInput, TOutput, TState>(options: UseWorkflowOptions<TInput, TOutput, TState>): WorkflowClient<TInput, TOutput, TState>;
/** Lets go of an owned client: closes its stream, or aborts the run with `stopOnUnmount`. */
export declare function letGo<TInput, TOutput, TState>(client: WorkflowClient<TInput, TOutput, TState>, stopOnUnmount: boolean | undefined): void;
/** Actions bound to whatever client `current()` returns when they are called. */
export declare function bindActions<TInput, TOutput, TState>(current: () => WorkflowClient<TInput, TOutput, TState>): WorkflowActions<TInput, TOutput, TState>;
