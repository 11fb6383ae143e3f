import type { StepType } from '@stepstream/protocol'
import type { WorkflowErrorInfo } from './errors.js'

/** Where the followed run is: `paused` waits for an approval or a signal; `error` means the run failed or the client lost it for good (see `error`); `aborted` that it was stopped. */
export type WorkflowStatus = 'idle' | 'running' | 'paused' | 'finished' | 'error' | 'aborted'

/** This client's connection, apart from the run: `reconnecting` is a dropped stream being resumed from the cursor. */
export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/** One step of the run (`STEP_STARTED` … `STEP_FINISHED`): an agent, an approval, a signal wait, a nested workflow. */
export interface WorkflowStep {
  stepId: string
  stepName: string
  /** `agent`, `approval`, `nested-workflow`, `step` or `signal` from stepstream's server; whatever another server sends. */
  stepType?: StepType | (string & {})
  /** `failed` when its `STEP_FINISHED` carried an error; a step suspended at a pause stays `running`. */
  status: 'running' | 'finished' | 'failed'
  /** When it started and finished, in ms since the epoch (its events' timestamps; a step reopened after a pause keeps its start). */
  startedAt: number
  finishedAt?: number
  /** What the step produced (an agent's output, an approval decision, a signal payload). */
  result?: unknown
  error?: { name: string; message: string }
  /** The text the step streamed, concatenated. */
  text: string
  /** Ids of the text messages the step streamed (AG-UI `messageId`s). */
  messageIds?: readonly string[]
}

/** The approval the run is paused on (`approval-requested`), answered with `approve()`. */
export interface PendingApproval {
  approvalId: string
  title: string
  description?: string
}

/** The signal the run is paused on (`run.paused`), answered with `signal(signalName, payload)`. */
export interface PendingSignal {
  signalName: string
  /** When the wait ends by itself (an ISO date); the client follows the run on at that moment. */
  deadline?: string
  meta?: unknown
}

/** Everything a UI shows of a run: a plain, immutable object, replaced (sharing what did not change) on every event. */
export interface WorkflowClientState<TOutput = unknown, TState = unknown> {
  status: WorkflowStatus
  connection: ConnectionStatus
  /** The run followed; `null` before `start()` or `attach()`. */
  runId: string | null
  /** Every step the client has seen, in the order they started. */
  steps: readonly WorkflowStep[]
  /** The running step (the latest started one that has not finished). */
  currentStep: WorkflowStep | null
  /** Text of the step that streams now, or of the last step that streamed. */
  currentText: string
  pendingApproval: PendingApproval | null
  /** The signal the run waits for; `null` too for a wait only the server ends (`sleep()`: names starting with `__`). */
  pendingSignal: PendingSignal | null
  /** The workflow's state (`STATE_SNAPSHOT`, then JSON Patch deltas); `undefined` before the first snapshot. */
  state: TState | undefined
  /** The workflow's output once it finished successfully. */
  output: TOutput | undefined
  /** Why the run or the connection failed: a `RUN_ERROR`, an HTTP error body's code, or a client code such as `connection_lost`. */
  error: WorkflowErrorInfo | null
  /** Index of the last event applied; -1 before any. */
  lastEventIndex: number
}

/** The state of a client that follows no run yet (`status: 'idle'`, `lastEventIndex: -1`). */
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
