import type { UseWorkflowOptions } from '@stepstream/client'
import { useWorkflow, type WorkflowStore } from './use-workflow.js'

/** Options of `useOrchestration`: the same as `useWorkflow`'s. */
export type UseOrchestrationOptions<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowOptions<TInput, TOutput, TState>

/**
 * `useWorkflow` for a router-driven orchestrator (`defineOrchestrator`): its
 * turns, approvals and output arrive over the same stream, so the store is
 * the same; only the name reads naturally at the call site.
 */
export function useOrchestration<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: UseOrchestrationOptions<TInput, TOutput, TState>,
): WorkflowStore<TInput, TOutput, TState> {
  return useWorkflow(options)
}
