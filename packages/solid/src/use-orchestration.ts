import type { UseWorkflowOptions, UseWorkflowResult } from './types.js'
import { useWorkflow, type MaybeAccessor } from './use-workflow.js'

/** Options of `useOrchestration`: the same as `useWorkflow`'s. */
export type UseOrchestrationOptions<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowOptions<TInput, TOutput, TState>

/** What `useOrchestration` returns: the same as `useWorkflow`. */
export type UseOrchestrationResult<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowResult<TInput, TOutput, TState>

/**
 * `useWorkflow` for a router-driven orchestrator (`defineOrchestrator`): its
 * turns, approvals and output arrive over the same stream, so the behaviour
 * is identical; only the name reads naturally at the call site.
 */
export function useOrchestration<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: MaybeAccessor<UseOrchestrationOptions<TInput, TOutput, TState>>,
): UseOrchestrationResult<TInput, TOutput, TState> {
  return useWorkflow(options)
}
