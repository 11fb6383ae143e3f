/**
 * Small constructors for every event, so servers and tests build them the
 * same way. Each stamps `timestamp` with `Date.now()` unless one is given; a
 * given one that is not integer milliseconds throws a RangeError.
 */
import type {
  ApprovalRequestedEvent,
  ApprovalRequestedValue,
  CustomEvent,
  JsonPatchOperation,
  Metadata,
  RunErrorCode,
  RunErrorEvent,
  RunFinishedEvent,
  RunPausedEvent,
  RunPausedValue,
  RunStartedEvent,
  StateDeltaEvent,
  StateSnapshotEvent,
  StepError,
  StepFinishedEvent,
  StepStartedEvent,
  StepType,
  TextMessageContentEvent,
  TextMessageEndEvent,
  TextMessageStartEvent,
  ToolCallArgsEvent,
  ToolCallEndEvent,
  ToolCallResultEvent,
  ToolCallStartEvent,
  WorkflowInterrupt,
} from './events.js'

interface Stamp {
  timestamp?: number
  metadata?: Metadata
}

function stamp(extra: Stamp | undefined): { timestamp: number; metadata?: Metadata } {
  const timestamp = extra?.timestamp ?? Date.now()
  // PROTOCOL §2 and AG-UI take integer milliseconds only; 1.5 or NaN would make an event both refuse.
  if (!Number.isSafeInteger(timestamp)) {
    throw new RangeError(`timestamp must be integer milliseconds (as Date.now() gives), got ${timestamp}`)
  }
  return extra?.metadata ? { timestamp, metadata: extra.metadata } : { timestamp }
}

/** `RUN_STARTED` of a run's segment; `threadId` is the run id too (AG-UI clients key runs by thread). */
export function runStarted(runId: string, extra?: Stamp): RunStartedEvent {
  return { type: 'RUN_STARTED', threadId: runId, runId, ...stamp(extra) }
}

/** `STEP_STARTED`; the step's id and type travel in `metadata` (PROTOCOL §2). */
export function stepStarted(
  step: { stepName: string; stepId: string; stepType: StepType },
  extra?: Stamp,
): StepStartedEvent {
  const { timestamp, metadata } = stamp(extra)
  return {
    type: 'STEP_STARTED',
    stepName: step.stepName,
    timestamp,
    metadata: { ...metadata, stepId: step.stepId, stepType: step.stepType },
  }
}

/** `STEP_FINISHED` with the step's `result`, or its `error` for a failed step, in `metadata`. */
export function stepFinished(
  step: { stepName: string; stepId: string; result?: unknown; error?: StepError },
  extra?: Stamp,
): StepFinishedEvent {
  const { timestamp, metadata } = stamp(extra)
  const outcome = step.error ? { error: step.error } : step.result === undefined ? {} : { result: step.result }
  return {
    type: 'STEP_FINISHED',
    stepName: step.stepName,
    timestamp,
    metadata: { ...metadata, stepId: step.stepId, ...outcome },
  }
}

/** `TEXT_MESSAGE_START` of an assistant message, tied to the step that streams it (`metadata.stepId`). */
export function textMessageStart(messageId: string, stepId: string, extra?: Stamp): TextMessageStartEvent {
  const { timestamp, metadata } = stamp(extra)
  return { type: 'TEXT_MESSAGE_START', messageId, role: 'assistant', timestamp, metadata: { ...metadata, stepId } }
}

/** `TEXT_MESSAGE_CONTENT`: one streamed piece of a message's text. */
export function textMessageContent(messageId: string, delta: string, extra?: Stamp): TextMessageContentEvent {
  return { type: 'TEXT_MESSAGE_CONTENT', messageId, delta, ...stamp(extra) }
}

/** `TEXT_MESSAGE_END`: the message is complete. */
export function textMessageEnd(messageId: string, extra?: Stamp): TextMessageEndEvent {
  return { type: 'TEXT_MESSAGE_END', messageId, ...stamp(extra) }
}

/** `TOOL_CALL_START`, from an agent that calls tools (AG-UI fields as they are). */
export function toolCallStart(
  call: { toolCallId: string; toolCallName: string; parentMessageId?: string },
  extra?: Stamp,
): ToolCallStartEvent {
  return { type: 'TOOL_CALL_START', ...call, ...stamp(extra) }
}

/** `TOOL_CALL_ARGS`: one streamed piece of a tool call's JSON arguments. */
export function toolCallArgs(toolCallId: string, delta: string, extra?: Stamp): ToolCallArgsEvent {
  return { type: 'TOOL_CALL_ARGS', toolCallId, delta, ...stamp(extra) }
}

/** `TOOL_CALL_END`: the tool call's arguments are complete. */
export function toolCallEnd(toolCallId: string, extra?: Stamp): ToolCallEndEvent {
  return { type: 'TOOL_CALL_END', toolCallId, ...stamp(extra) }
}

/** `TOOL_CALL_RESULT`: what the tool answered, as a `tool` message. */
export function toolCallResult(
  result: { messageId: string; toolCallId: string; content: ToolCallResultEvent['content'] },
  extra?: Stamp,
): ToolCallResultEvent {
  return { type: 'TOOL_CALL_RESULT', role: 'tool', ...result, ...stamp(extra) }
}

/** `STATE_SNAPSHOT`: the whole state, replacing whatever a client had. */
export function stateSnapshot(snapshot: unknown, extra?: Stamp): StateSnapshotEvent {
  return { type: 'STATE_SNAPSHOT', snapshot, ...stamp(extra) }
}

/** `STATE_DELTA`: an RFC 6902 patch over the last state, applied atomically by clients. */
export function stateDelta(delta: JsonPatchOperation[], extra?: Stamp): StateDeltaEvent {
  return { type: 'STATE_DELTA', delta, ...stamp(extra) }
}

/** What a CUSTOM value becomes on the wire: JSON has no undefined, and AG-UI requires a value. */
type CustomValue<TValue> = TValue extends undefined ? null : TValue

/** The values of the CUSTOM names PROTOCOL §2 gives a meaning; any other name carries anything. */
interface ProtocolCustomValues {
  'approval-requested': ApprovalRequestedValue
  'run.paused': RunPausedValue
}

/**
 * A `CUSTOM` event. For the names PROTOCOL §2 gives a meaning
 * (`approval-requested`, `run.paused`) the value is typed; `undefined` is sent as `null`.
 */
export function custom<
  TName extends string,
  TValue extends TName extends keyof ProtocolCustomValues ? ProtocolCustomValues[TName] : unknown,
>(
  name: TName,
  value: TValue,
  extra?: Stamp,
): CustomEvent<TName, CustomValue<TValue>> {
  return { type: 'CUSTOM', name, value: (value === undefined ? null : value) as CustomValue<TValue>, ...stamp(extra) }
}

/** `CUSTOM approval-requested`: the run waits for a person's decision on `approvalId`. */
export function approvalRequested(value: Omit<ApprovalRequestedValue, 'kind'>, extra?: Stamp): ApprovalRequestedEvent {
  return custom('approval-requested', { kind: 'workflow' as const, ...value }, extra)
}

/** `CUSTOM run.paused`: the run waits for the signal `signalName` (until `deadline`, if any). */
export function runPaused(value: RunPausedValue, extra?: Stamp): RunPausedEvent {
  return custom('run.paused', value, extra)
}

/** `RUN_FINISHED` with outcome `success` and the run's output as `result` (null travels in `metadata.result`). */
export function runSucceeded(runId: string, result: unknown, extra?: Stamp): RunFinishedEvent {
  const base: RunFinishedEvent = { type: 'RUN_FINISHED', threadId: runId, runId, outcome: { type: 'success' }, ...stamp(extra) }
  if (result === undefined) return base
  // AG-UI 1.0 refuses `result: null` (HttpAgent rewrites it with a warning), so a
  // null output travels in metadata, where stepstream's client reads it.
  if (result === null) return { ...base, metadata: { ...base.metadata, result: null } }
  return { ...base, result }
}

/** `RUN_FINISHED` with outcome `interrupt`: the segment ends on a pause, listing what it waits for. */
export function runInterrupted(runId: string, interrupts: WorkflowInterrupt[], extra?: Stamp): RunFinishedEvent {
  return { type: 'RUN_FINISHED', threadId: runId, runId, outcome: { type: 'interrupt', interrupts }, ...stamp(extra) }
}

/** `RUN_ERROR` with a machine-readable `code` (`aborted` for a run stopped on purpose). */
export function runError(message: string, code: RunErrorCode, extra?: Stamp): RunErrorEvent {
  return { type: 'RUN_ERROR', message, code, ...stamp(extra) }
}

/** The AG-UI interrupt that stands for a pending approval (its id is the `approvalId`). */
export function approvalInterrupt(approval: { approvalId: string; title: string; description?: string }): WorkflowInterrupt {
  const metadata = approval.description === undefined ? {} : { description: approval.description }
  return { id: approval.approvalId, reason: 'approval', message: approval.title, metadata }
}

/** The AG-UI interrupt that stands for a signal wait (id `signal:<name>`, the pause in `metadata`). */
export function signalInterrupt(pause: RunPausedValue): WorkflowInterrupt {
  return { id: `signal:${pause.signalName}` as const, reason: 'signal', metadata: { ...pause } }
}
