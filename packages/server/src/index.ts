export { defineAgent, type AgentConfig } from './authoring/define-agent.js'
export { mockAgent, type MockAgentConfig } from './authoring/mock-agent.js'
export { defineWorkflow, type WorkflowConfig } from './authoring/define-workflow.js'
export {
  defineRouter,
  defineOrchestrator,
  DEFAULT_MAX_TURNS,
  type OrchestratorConfig,
  type OrchestratorTurn,
  type RouteTo,
  type Router,
  type RouterConfig,
  type RouterContext,
  type RouterDecision,
} from './authoring/orchestrator.js'
export { approve, waitForSignal, sleep, now, uuid, type ApproveOptions, type WaitForSignalOptions } from './authoring/commands.js'
export { succeed, fail } from './authoring/results.js'
export type {
  Agent,
  AgentContext,
  AgentInput,
  AgentMap,
  AgentOutput,
  AgentReturn,
  AgentStreamChunk,
  AgentStreamEvent,
  AgentStreamingResult,
  ApprovalResult,
  BoundAgents,
  Emit,
  Failed,
  StepCall,
  Succeeded,
  Workflow,
  WorkflowBody,
  WorkflowCommand,
  WorkflowContext,
  WorkflowResult,
} from './authoring/types.js'
export type { Jsonified } from './authoring/jsonified.js'
export type { Schema } from './schema.js'
export { WorkflowError, StepFailedError, WorkflowRequestError, LeaseLostError } from './errors.js'
export type { ErrorHandlingOptions, ErrorMessageContext } from './error-message.js'
export { runWorkflow, type RunWorkflowOptions, type WorkflowEventStream, type WorkflowStreamInfo } from './run-workflow.js'
export {
  inMemoryRunStore,
  DEFAULT_RUN_TTL_MS,
  type InMemoryRunStore,
  type InMemoryRunStoreOptions,
  type InMemoryRunStoreStats,
} from './store/in-memory-run-store.js'
export type {
  AppliedDecision,
  JournalCommand,
  JournalledError,
  LeaseRenewal,
  PausedStepEntry,
  PendingInput,
  ReadOptions,
  RunRecord,
  RunStatus,
  RunStore,
  SettledStepEntry,
  StartedStepEntry,
  StepJournalEntry,
  SubscribeOptions,
  Unsubscribe,
  WriteOptions,
} from './store/run-store.js'
export { runRetentionMs } from './store/run-retention.js'
export { assertStoreDurations } from './store/store-durations.js'
export { readRange, type ReadRange } from './store/read-range.js'
export {
  createWorkflowHandler,
  type AuthorizeContext,
  type AuthorizeDecision,
  type WorkflowHandler,
  type WorkflowHandlerOptions,
} from './http/create-workflow-handler.js'
export { toNodeListener, type NodeListener } from './http/node-listener.js'
export { sseFrame } from './http/sse-response.js'
