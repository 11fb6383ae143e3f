export { useWorkflow, type WorkflowStore } from './use-workflow.js';
export { useOrchestration, type UseOrchestrationOptions } from './use-orchestration.js';
export { createWorkflow, createOrchestration, type Workflow } from './create-workflow.svelte.js';
export type { HookOnlyOptions, UseWorkflowOptions, UseWorkflowOwnOptions, UseWorkflowSharedOptions, WorkflowActionName, WorkflowActions, } from './types.js';
export { WorkflowClient, fetchWorkflowEvents, localWorkflowEvents, type WorkflowClientOptions, type WorkflowClientState, type WorkflowConnection, type WorkflowStatus, type WorkflowStep, type PendingApproval, type PendingSignal, type ConnectionStatus, type WorkflowErrorInfo, } from '@stepstream/client';
