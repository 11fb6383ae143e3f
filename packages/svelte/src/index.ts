export { useWorkflow, type WorkflowStore } from './use-workflow.js'
export { useOrchestration, type UseOrchestrationOptions } from './use-orchestration.js'
export { createWorkflow, createOrchestration, type Workflow } from './create-workflow.svelte.js'
// So a component needs one import: the client, its connections and every
// public type (names defined here take precedence).
export { WorkflowClient, fetchWorkflowEvents, localWorkflowEvents } from '@stepstream/client'
export type * from '@stepstream/client'
