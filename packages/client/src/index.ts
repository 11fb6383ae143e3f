export { WorkflowClient } from './workflow-client.js'
export type { StartArguments, StartOptions, WorkflowClientOptions } from './client-options.js'
export { reduceWorkflowEvent, type WireEvent } from './reducer.js'
export {
  fetchWorkflowEvents,
  localWorkflowEvents,
  type ConnectionOptions,
  type ConnectionRequest,
  type FetchConnectionOptions,
  type WorkflowConnection,
} from './connection.js'
export {
  initialWorkflowState,
  type ConnectionStatus,
  type PendingApproval,
  type PendingSignal,
  type WorkflowClientState,
  type WorkflowStatus,
  type WorkflowStep,
} from './state.js'
export { WorkflowError, WorkflowUsageError, type WorkflowErrorCode, type WorkflowErrorInfo, type WorkflowUsageErrorCode } from './errors.js'
export { applyStatePatch } from './json-patch.js'
export type { ReconnectOptions } from './backoff.js'
export type { StandardSchemaV1 } from './schema.js'
export {
  bindActions,
  clientOptionsOf,
  ownClientOptions,
  releaseClient,
  workflowStateFields,
  type AdapterOnlyOptions,
  type AdapterOptions,
  type OwnClientOptions,
  type SharedClientOptions,
  type WorkflowActionName,
  type WorkflowActions,
  type HookOnlyOptions,
  type UseWorkflowOptions,
  type UseWorkflowOwnOptions,
  type UseWorkflowSharedOptions,
} from './adapter.js'
export { FollowedClient, type OwnOptionsShape } from './followed-client.js'
