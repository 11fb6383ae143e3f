export { useWorkflow, type MaybeAccessor } from './use-workflow.js'
export { useOrchestration, type UseOrchestrationOptions, type UseOrchestrationResult } from './use-orchestration.js'
export type {
  HookOnlyOptions,
  UseWorkflowOptions,
  UseWorkflowOwnOptions,
  UseWorkflowResult,
  UseWorkflowSharedOptions,
  WorkflowActionName,
  WorkflowActions,
} from './types.js'
// So a component needs one import.
export {
  WorkflowClient,
  fetchWorkflowEvents,
  localWorkflowEvents,
  type WorkflowClientOptions,
  type WorkflowClientState,
  type WorkflowConnection,
  type WorkflowStatus,
  type WorkflowStep,
  type PendingApproval,
  type PendingSignal,
  type ConnectionStatus,
  type WorkflowErrorInfo,
} from '@stepstream/client'
