import type { UseWorkflowOptions, UseWorkflowResult } from './types.js'
import { useWorkflow } from './use-workflow.js'

/** The options of `useOrchestration`: those of `useWorkflow`. */
export type UseOrchestrationOptions<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowOptions<TInput, TOutput, TState>
/** What `useOrchestration` returns: what `useWorkflow` does. */
export type UseOrchestrationResult<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowResult<TInput, TOutput, TState>

/**
 * `useWorkflow` under the name that reads naturally for a router-driven
 * orchestrator (`defineOrchestrator`): its turns, approvals and output arrive
 * over the same stream, so the behaviour is the same function.
 */
export const useOrchestration: typeof useWorkflow = useWorkflow
