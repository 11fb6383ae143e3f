import type { StepType } from '@stepstream/protocol'
import type { WorkflowErrorInfo } from './errors.js'

export type WorkflowStatus = 'idle' | 'running' | 'paused' | 'finished' | 'error' | 'aborted'

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

export interface WorkflowStep {
  stepId: string
  stepName: string
  stepType?: StepType | (string & {})
  status: 'running' | 'finished' | 'failed'
  startedAt: number
  finishedAt?: number
  result?: unknown
  error?: { name: string; message: string }
  /** The text the step streamed, concatenated. */
  text: string
  /** Ids of the text messages the step streamed (AG-UI `messageId`s). */
  messageIds?: readonly string[]
}

export interface PendingApproval {
  approvalId: string
  title: string
  description?: string
}

export interface PendingSignal {
  signalName: string
  deadline?: string
  meta?: unknown
}

export interface WorkflowClientState<TOutput = unknown, TState = unknown> {
  status: WorkflowStatus
  connection: ConnectionStatus
  runId: string | null
  steps: readonly WorkflowStep[]
  /** The running step (the latest started one that has not finished). */
  currentStep: WorkflowStep | null
  /** Text of the step that streams now, or of the last step that streamed. */
  currentText: string
  pendingApproval: PendingApproval | null
  pendingSignal: PendingSignal | null
  state: TState | undefined
  output: TOutput | undefined
  error: WorkflowErrorInfo | null
  /** Index of the last event applied; -1 before any. */
  lastEventIndex: number
}

export function initialWorkflowState<TOutput = unknown, TState = unknown>(): WorkflowClientState<TOutput, TState> {
  return {
    status: 'idle',
    connection: 'idle',
    runId: null,
    steps: [],
    currentStep: null,
    currentText: '',
    pendingApproval: null,
    pendingSignal: null,
    state: undefined,
    output: undefined,
    error: null,
    lastEventIndex: -1,
  }
}
