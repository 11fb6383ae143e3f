import { useWorkflow } from './use-workflow.js';
/**
 * `useWorkflow` for a router-driven orchestrator (`defineOrchestrator`): its
 * turns, approvals and output arrive over the same stream, so the store is
 * the same; only the name reads naturally at the call site.
 */
export function useOrchestration(options) {
    return useWorkflow(options);
}
