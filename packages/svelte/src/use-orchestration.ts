import type { UseWorkflowOptions } from '@stepstream/client'
import { useWorkflow } from './use-workflow.js'

/** The options of `useOrchestration`: those of `useWorkflow`. */
export type UseOrchestrationOptions<TInput = unknown, TOutput = unknown, TState = unknown> = UseWorkflowOptions<TInput, TOutput, TState>

/**
 * `useWorkflow` under the name that reads naturally for a router-driven
 * orchestrator (`defineOrchestrator`): its turns, approvals and output arrive
 * over the same stream, so the store is the same.
 */
export const useOrchestration: typeof useWorkflow = useWorkflow
