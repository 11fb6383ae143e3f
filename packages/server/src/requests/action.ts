import type { ApprovalDecision, SignalDelivery, WorkflowAction } from '@stepstream/protocol'

/** A request body after validation: exactly one action with well-typed fields. */
export type ActionRequest =
  | { action: 'start'; input: unknown; runId?: string; workflow?: string }
  | { action: 'approve'; runId: string; approval: ApprovalDecision; workflow?: string }
  | { action: 'signal'; runId: string; signal: SignalDelivery; workflow?: string }
  | { action: 'resume'; runId: string; startIndex: number; workflow?: string }
  | { action: 'abort'; runId: string; workflow?: string }

export type { WorkflowAction }
