import type { WorkflowClient, WorkflowClientOptions } from '@stepstream/client';
/** Options only the adapter understands; the rest go to `WorkflowClient`. */
export interface HookOnlyOptions {
    /**
     * Identifies the run this adapter follows. With `createWorkflow(() => …)` a
     * new id lets go of the current client (its stream is aborted) and starts
     * over with a fresh one; a store from `useWorkflow` is re-created instead.
     */
    id?: string;
    /**
     * What letting go of the client (last subscriber gone, component destroyed,
     * new `id`) means: `false` (default) only closes the local connection, so
     * the server run goes on and can be attached to later; `true` aborts the
     * run on the server.
     */
    stopOnUnmount?: boolean;
}
/** The adapter creates and owns a client built from these options. */
export interface UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown> extends WorkflowClientOptions<TInput, TOutput, TState>, HookOnlyOptions {
    client?: undefined;
}
/**
 * The adapter follows a client someone else owns (e.g. one shared between
 * components): the owner configures it and decides when it is torn down.
 */
export interface UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> {
    client: WorkflowClient<TInput, TOutput, TState>;
}
export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowOwnOptions<TInput, TOutput, TState> | UseWorkflowSharedOptions<TInput, TOutput, TState>;
export type WorkflowActionName = 'start' | 'approve' | 'signal' | 'attach' | 'resume' | 'stop' | 'disconnect' | 'reset';
/** The client's actions as plain functions; they always call the current client. */
export type WorkflowActions<TInput = unknown, TOutput = unknown, TState = unknown> = Pick<WorkflowClient<TInput, TOutput, TState>, WorkflowActionName>;
