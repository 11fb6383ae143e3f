export { useWorkflow } from './use-workflow.js';
export { useOrchestration } from './use-orchestration.js';
export { createWorkflow, createOrchestration } from './create-workflow.svelte.js';
// So a component needs one import.
export { WorkflowClient, fetchWorkflowEvents, localWorkflowEvents, } from '@stepstream/client';
