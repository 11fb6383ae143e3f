import type { WorkflowClient, WorkflowClientState } from '@stepstream/client';
import type { UseWorkflowOptions, WorkflowActions } from './types.js';
/** Reactive getters for every state field, the actions, and the current client. */
export type Workflow<TInput = unknown, TOutput = unknown, TState = unknown> = Readonly<WorkflowClientState<TOutput, TState>> & Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind it (a new one after `id` changes). */
    readonly client: WorkflowClient<TInput, TOutput, TState>;
};
/**
 * The runes form: `const wf = createWorkflow(() => ({ connection, id }))`, then
 * read `wf.status`, `wf.currentText`… in markup or `$derived`. The options
 * getter is tracked: callbacks stay current and a new `id` switches clients.
 * Call it during component initialisation (or inside `$effect.root` in
 * tests); the connection is let go when that owner is destroyed.
 */
export declare function createWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(getOptions: () => UseWorkflowOptions<TInput, TOutput, TState>): Workflow<TInput, TOutput, TState>;
/** `createWorkflow` in orchestration vocabulary, for a `defineOrchestrator` run. */
export declare function createOrchestration<TInput = unknown, TOutput = unknown, TState = unknown>(getOptions: () => UseWorkflowOptions<TInput, TOutput, TState>): Workflow<TInput, TOutput, TState>;
