export { useWorkflow } from './use-workflow.js'
export { useOrchestration, type UseOrchestrationOptions, type UseOrchestrationResult } from './use-orchestration.js'
export type {
  HookOnlyOptions,
  UseWorkflowOptions,
  UseWorkflowOwnOptions,
  UseWorkflowResult,
  UseWorkflowSharedOptions,
  WorkflowActionName,
  WorkflowActions,
  WorkflowRefs,
} from './types.js'
// So a component needs one import: the client, its connections and every
// public type (names defined here take precedence).
export { WorkflowClient, fetchWorkflowEvents, localWorkflowEvents } from '@stepstream/client'
export type * from '@stepstream/client'
