/**
 * Event types of the stepstream wire protocol (PROTOCOL.md §2).
 *
 * Names and fields follow AG-UI 1.0; everything stepstream adds travels in
 * `metadata`, so every event here is also a valid AG-UI event.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** `metadata` of an event: where stepstream's own fields travel beside AG-UI's. */
export type Metadata = Record<string, unknown>

/** What a step is (`metadata.stepType` of `STEP_STARTED`). */
export type StepType = 'agent' | 'approval' | 'nested-workflow' | 'step' | 'signal'

/** The fields every event has (PROTOCOL §2). */
export interface BaseEvent {
  timestamp?: number
  metadata?: Metadata
}

/** Why a step failed (`metadata.error` of `STEP_FINISHED`). */
export interface StepError {
  name: string
  message: string
}

export interface RunStartedEvent extends BaseEvent {
  type: 'RUN_STARTED'
  threadId: string
  runId: string
}

export interface StepStartedEvent extends BaseEvent {
  type: 'STEP_STARTED'
  stepName: string
  metadata?: Metadata & { stepId?: string; stepType?: StepType }
}

export interface StepFinishedEvent extends BaseEvent {
  type: 'STEP_FINISHED'
  stepName: string
  metadata?: Metadata & { stepId?: string; result?: unknown; error?: StepError }
}

export interface TextMessageStartEvent extends BaseEvent {
  type: 'TEXT_MESSAGE_START'
  messageId: string
  role: 'assistant'
  metadata?: Metadata & { stepId?: string }
}

export interface TextMessageContentEvent extends BaseEvent {
  type: 'TEXT_MESSAGE_CONTENT'
  messageId: string
  delta: string
}

export interface TextMessageEndEvent extends BaseEvent {
  type: 'TEXT_MESSAGE_END'
  messageId: string
}

export interface ToolCallStartEvent extends BaseEvent {
  type: 'TOOL_CALL_START'
  toolCallId: string
  toolCallName: string
  parentMessageId?: string
}

export interface ToolCallArgsEvent extends BaseEvent {
  type: 'TOOL_CALL_ARGS'
  toolCallId: string
  delta: string
}

export interface ToolCallEndEvent extends BaseEvent {
  type: 'TOOL_CALL_END'
  toolCallId: string
}

/** Where a media part's bytes are (AG-UI 1.0): inline, at a URL, or a provider's file handle. */
export type PartSource =
  | { type: 'data'; value: string; mimeType: string }
  | { type: 'url'; value: string; mimeType?: string }
  | { type: 'file'; value: string; provider?: string; mimeType?: string }

/** One part of a tool's result (AG-UI 1.0's ContentPart). `metadata`, when there, is never null. */
export type ContentPart =
  | { type: 'text'; text: string; id?: string; metadata?: unknown }
  | { type: 'image' | 'audio' | 'video' | 'document'; source: PartSource; id?: string; metadata?: unknown }

export interface ToolCallResultEvent extends BaseEvent {
  type: 'TOOL_CALL_RESULT'
  messageId: string
  toolCallId: string
  content: string | ContentPart[]
  role?: 'tool'
}

export interface StateSnapshotEvent extends BaseEvent {
  type: 'STATE_SNAPSHOT'
  snapshot: unknown
}

/** One RFC 6902 operation of a `STATE_DELTA`. */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'move'; path: string; from: string }
  | { op: 'copy'; path: string; from: string }
  | { op: 'test'; path: string; value: unknown }

export interface StateDeltaEvent extends BaseEvent {
  type: 'STATE_DELTA'
  delta: JsonPatchOperation[]
}

export interface CustomEvent<TName extends string = string, TValue = unknown> extends BaseEvent {
  type: 'CUSTOM'
  name: TName
  value: TValue
}

/** The value of `CUSTOM approval-requested`. */
export interface ApprovalRequestedValue {
  approvalId: string
  kind: 'workflow'
  title: string
  description?: string
}

/** The value of `CUSTOM run.paused`: the signal a run waits for. */
export interface RunPausedValue {
  signalName: string
  /** ISO 8601 date-time after which the server stops waiting. */
  deadline?: string
  meta?: unknown
}

export type ApprovalRequestedEvent = CustomEvent<'approval-requested', ApprovalRequestedValue>
export type RunPausedEvent = CustomEvent<'run.paused', RunPausedValue>

/** AG-UI's interrupt for a pending approval, in the `RUN_FINISHED` that ends its segment. */
export interface ApprovalInterrupt {
  id: string
  reason: 'approval'
  message?: string
  metadata?: { description?: string }
}

/** AG-UI's interrupt for a signal wait, in the `RUN_FINISHED` that ends its segment. */
export interface SignalInterrupt {
  /** `signal:` + metadata.signalName: what an AG-UI client answers with `resume`. */
  id: `signal:${string}`
  reason: 'signal'
  metadata: { signalName: string; deadline?: string; meta?: unknown }
}

export type WorkflowInterrupt = ApprovalInterrupt | SignalInterrupt

/** How a segment ended: the run succeeded, or it pauses on the interrupts listed. */
export type RunOutcome = { type: 'success' } | { type: 'interrupt'; interrupts: WorkflowInterrupt[] }

/** `result` is the workflow's output, so only a success carries one (PROTOCOL §2). */
export type RunFinishedEvent = BaseEvent & { type: 'RUN_FINISHED'; threadId: string; runId: string } & (
    | { outcome?: Extract<RunOutcome, { type: 'success' }>; result?: unknown }
    | { outcome: Extract<RunOutcome, { type: 'interrupt' }>; result?: never }
  )

/** Codes a server puts on `RUN_ERROR`; an open set, so clients must accept others. */
export type RunErrorCode =
  | 'aborted'
  | 'step_failed'
  | 'invalid_output'
  | 'timeout'
  | 'internal'
  | 'max_turns_exceeded'
  | 'executor_lost'
  | (string & {})

export interface RunErrorEvent extends BaseEvent {
  type: 'RUN_ERROR'
  message: string
  code?: RunErrorCode
}

/** Every event a stepstream server emits. */
export type WorkflowEvent =
  | RunStartedEvent
  | StepStartedEvent
  | StepFinishedEvent
  | TextMessageStartEvent
  | TextMessageContentEvent
  | TextMessageEndEvent
  | ToolCallStartEvent
  | ToolCallArgsEvent
  | ToolCallEndEvent
  | ToolCallResultEvent
  | StateSnapshotEvent
  | StateDeltaEvent
  | CustomEvent
  | RunFinishedEvent
  | RunErrorEvent

export type WorkflowEventType = WorkflowEvent['type']

/** An event with its absolute position in the run's log (the SSE `id:`). */
export interface IndexedEvent<TEvent = WorkflowEvent> {
  index: number
  event: TEvent
}

/** The events that end a segment: after one, a stream has nothing more to say (PROTOCOL §5). */
export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['RUN_FINISHED', 'RUN_ERROR'])

/** Whether `event` ends its segment (`RUN_FINISHED` of any outcome, or `RUN_ERROR`). */
export function isTerminalEvent(event: { type: string }): event is RunFinishedEvent | RunErrorEvent {
  return TERMINAL_EVENT_TYPES.has(event.type)
}

/** CUSTOM names with protocol meaning; any other name is a user event. */
export const CUSTOM_EVENT = {
  approvalRequested: 'approval-requested',
  runPaused: 'run.paused',
  /** TanStack AI orchestration wire shape; read by the client, never emitted here. */
  stepsSnapshot: 'steps-snapshot',
} as const
