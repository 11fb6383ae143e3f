import { CUSTOM_EVENT, type WorkflowEvent } from '@stepstream/protocol'
import { applyStatePatch } from './json-patch.js'
import type { PendingApproval, PendingSignal, WorkflowClientState, WorkflowStep } from './state.js'

/**
 * An event as it arrives on the wire. Typed loosely on purpose: the reducer
 * reads our AG-UI shape, the TanStack AI orchestration shape and plain AG-UI,
 * and must survive anything else a server sends.
 */
export interface WireEvent {
  type: string
  timestamp?: number
  metadata?: Record<string, unknown>
  [field: string]: unknown
}

type State = WorkflowClientState<unknown, unknown>

type Reducer = (state: State, event: WireEvent) => State

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Reads a field from `metadata` (our shape) or the top level (TanStack's); `null` there is a value. */
function field(event: WireEvent, name: string): unknown {
  return isRecord(event.metadata) && Object.hasOwn(event.metadata, name) ? event.metadata[name] : event[name]
}

function asStepError(value: unknown): WorkflowStep['error'] {
  if (isRecord(value)) return { name: text(value.name) ?? 'Error', message: String(value.message ?? '') }
}

/** The running step is the latest started one still running. */
function findCurrentStep(steps: readonly WorkflowStep[]): WorkflowStep | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    if (step.status === 'running') return step
  }
  return null
}

function withSteps(state: State, steps: readonly WorkflowStep[]): State {
  return { ...state, steps, currentStep: findCurrentStep(steps) }
}

function replaceStep(state: State, index: number, step: WorkflowStep): State {
  const steps = state.steps.slice()
  steps[index] = step
  return withSteps(state, steps)
}

function findStepIndex(steps: readonly WorkflowStep[], stepId: string | undefined, stepName: string | undefined): number {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    if (stepId !== undefined ? step.stepId === stepId : step.status === 'running' && step.stepName === stepName) return i
  }
  return -1
}

const runStarted: Reducer = (state, event) => {
  const runId = text(event.runId) ?? text(event.threadId) ?? state.runId
  const sameRun = runId !== null && runId === state.runId
  const base = sameRun ? state : { ...state, steps: [], currentStep: null, currentText: '', state: undefined }
  return {
    ...base,
    runId,
    status: 'running',
    pendingApproval: null,
    pendingSignal: null,
    output: undefined,
    error: null,
  }
}

function unusedId(steps: readonly WorkflowStep[], stepName: string): string {
  let id = stepName
  for (let n = 1; steps.some((step) => step.stepId === id); n++) id = `${stepName}#${n}`
  return id
}

const stepStarted: Reducer = (state, event) => {
  const stepName = text(event.stepName) ?? 'step'
  const givenId = text(field(event, 'stepId'))
  // Without an id (plain AG-UI) every start is a new step: a graph node that
  // runs again in a loop must not reopen, and overwrite, its earlier run.
  const stepId = givenId ?? unusedId(state.steps, stepName)
  const existing = givenId === undefined ? -1 : state.steps.findIndex((candidate) => candidate.stepId === stepId)
  // currentText keeps the last streamed text until the new step streams its
  // own: a step that never streams (an approval) must not blank it.
  if (existing === -1) {
    const stepType = text(field(event, 'stepType'))
    return withSteps(state, [...state.steps, { stepId, stepName, stepType, status: 'running', startedAt: event.timestamp ?? 0, text: '' }])
  }
  // A step id seen before is the same step reopened (a nested workflow
  // resumed after a pause): it keeps its text and start time.
  const { finishedAt: _finishedAt, result: _result, error: _error, ...reopened } = state.steps[existing]!
  return replaceStep(state, existing, { ...reopened, status: 'running' })
}

/**
 * TanStack AI reports a failed step as `content: { error: { name, message } }`;
 * only that exact envelope is read as a failure.
 */
function tanstackFailure(content: unknown): WorkflowStep['error'] {
  const error = isRecord(content) && Object.keys(content).length === 1 ? content.error : undefined
  if (isRecord(error) && typeof error.message === 'string') return asStepError(error)
}

const stepFinished: Reducer = (state, event) => {
  // A step closed only because the run paused inside it is still in progress.
  if (field(event, 'suspended') === true) return state
  const index = findStepIndex(state.steps, text(field(event, 'stepId')), text(event.stepName))
  if (index === -1) return state
  const step = state.steps[index]!
  const error = asStepError(field(event, 'error')) ?? tanstackFailure(event.content)
  const finished: WorkflowStep = { ...step, finishedAt: event.timestamp ?? step.startedAt }
  if (error) return replaceStep(state, index, { ...finished, status: 'failed', error })
  const result = field(event, 'result')
  return replaceStep(state, index, { ...finished, status: 'finished', result: result === undefined ? event.content : result })
}

/**
 * Messages are matched to steps through the step that was running when the
 * message started (or the `stepId` it names); the mapping lives on the step
 * so the reducer stays a function of (state, event).
 */
function stepIndexForMessage(state: State, messageId: string): number {
  for (let i = state.steps.length - 1; i >= 0; i--) {
    if (state.steps[i]!.messageIds?.includes(messageId)) return i
  }
  return -1
}

const textMessageStart: Reducer = (state, event) => {
  const messageId = text(event.messageId)
  if (messageId === undefined) return state
  const stepId = text(field(event, 'stepId'))
  let index = stepId === undefined ? -1 : state.steps.findIndex((step) => step.stepId === stepId)
  if (index === -1 && state.currentStep) index = state.steps.indexOf(state.currentStep)
  if (index === -1) return state
  const step = state.steps[index]!
  return replaceStep(state, index, { ...step, messageIds: [...(step.messageIds ?? []), messageId] })
}

/** The hot path of a token stream: one state copy per call. */
const textMessageContent: Reducer = (state, event) => {
  const delta = text(event.delta)
  if (!delta) return state
  const index = stepIndexForMessage(state, text(event.messageId) ?? '')
  if (index === -1) return { ...state, currentText: state.currentText + delta }
  const step = state.steps[index]!
  const updated = { ...step, text: step.text + delta }
  const steps = state.steps.slice()
  steps[index] = updated
  const isCurrent = state.currentStep === step
  const follows = isCurrent || state.currentStep === null
  return {
    ...state,
    steps,
    currentStep: isCurrent ? updated : state.currentStep,
    currentText: follows ? updated.text : state.currentText,
  }
}

/**
 * AG-UI 1.0's shorthand for START + CONTENT (+ END): a plain AG-UI agent may
 * stream all its text this way, and ignoring it loses the text. The first
 * chunk of a message opens it like a START; every chunk is then content. A
 * continuation without `messageId` still shows in `currentText`.
 */
const textMessageChunk: Reducer = (state, event) => {
  const messageId = text(event.messageId)
  const opened = messageId !== undefined && stepIndexForMessage(state, messageId) === -1 ? textMessageStart(state, event) : state
  return textMessageContent(opened, event)
}

const stateSnapshot: Reducer = (state, event) => ({ ...state, state: event.snapshot })

/**
 * AG-UI agents start from `{}` and may send deltas without a snapshot, so a
 * running run without one patches `{}`. A client that joined mid-run has no
 * such base: WorkflowClient refuses its delta before this and replays the log.
 */
const stateDelta: Reducer = (state, event) => {
  const base = state.state === undefined && state.status === 'running' ? {} : state.state
  return { ...state, state: applyStatePatch(base, event.delta as unknown[]) }
}

function approvalFrom(value: unknown): PendingApproval | null {
  if (!isRecord(value)) return null
  const approvalId = text(value.approvalId)
  return approvalId === undefined ? null : { approvalId, title: text(value.title) ?? '', description: text(value.description) }
}

function signalFrom(value: unknown): PendingSignal | null {
  if (!isRecord(value)) return null
  const signalName = text(value.signalName)
  // A `__` name is a wait only the server ends (a sleep, or TanStack's echo of
  // an approval pause, which the approval event carries): nobody can signal it.
  if (signalName === undefined || signalName.startsWith('__')) return null
  return { signalName, deadline: text(value.deadline), meta: value.meta }
}

interface SnapshotStepRecord {
  index?: number
  kind?: string
  name?: string
  result?: unknown
  error?: unknown
  startedAt?: number
  finishedAt?: number
}

/** TanStack's attach envelope: the completed steps of the run, in order. */
function stepsFromSnapshot(value: unknown): WorkflowStep[] | null {
  if (!isRecord(value) || !Array.isArray(value.steps)) return null
  return value.steps.filter(isRecord).map((record: SnapshotStepRecord, position) => {
    const stepName = text(record.name) ?? 'step'
    const stepType = text(record.kind)
    const error = asStepError(record.error)
    return {
      stepId: `${stepType ? `${stepType}:` : ''}${stepName}#${record.index ?? position}`,
      stepName,
      stepType,
      status: error ? 'failed' : 'finished',
      startedAt: record.startedAt ?? 0,
      finishedAt: record.finishedAt,
      ...(error ? { error } : { result: record.result }),
      text: '',
    }
  })
}

const custom: Reducer = (state, event) => {
  switch (event.name) {
    case CUSTOM_EVENT.approvalRequested: {
      const pendingApproval = approvalFrom(event.value)
      return pendingApproval ? { ...state, pendingApproval, status: 'paused' } : state
    }
    case CUSTOM_EVENT.runPaused: {
      // Every wait pauses the run, a sleep too (it offers no signal to send): a server
      // that sends no RUN_FINISHED on pause ends its stream here. TanStack's echo of an
      // approval pause is not one of its own (PROTOCOL §2: ignored).
      const signalName = isRecord(event.value) ? text(event.value.signalName) : undefined
      if (signalName === undefined || signalName === '__approval') return state
      return { ...state, pendingSignal: signalFrom(event.value), status: 'paused' }
    }
    case CUSTOM_EVENT.stepsSnapshot: {
      const steps = stepsFromSnapshot(event.value)
      return steps ? withSteps(state, steps) : state
    }
    default:
      return state
  }
}

function interruptsOf(event: WireEvent): unknown[] | null {
  const outcome = event.outcome
  return isRecord(outcome) && outcome.type === 'interrupt' && Array.isArray(outcome.interrupts) ? outcome.interrupts : null
}

function pausedBy(state: State, interrupts: unknown[]): State {
  let { pendingApproval, pendingSignal } = state
  for (const interrupt of interrupts) {
    if (!isRecord(interrupt)) continue
    const metadata = isRecord(interrupt.metadata) ? interrupt.metadata : {}
    if (interrupt.reason === 'approval' && !pendingApproval) {
      pendingApproval = approvalFrom({ approvalId: interrupt.id, title: interrupt.message, description: metadata.description })
    } else if (interrupt.reason === 'signal' && !pendingSignal) {
      pendingSignal = signalFrom(metadata)
    }
  }
  return { ...state, status: 'paused', pendingApproval, pendingSignal }
}

const runFinished: Reducer = (state, event) => {
  const interrupts = interruptsOf(event)
  if (interrupts) return pausedBy(state, interrupts)
  // AG-UI 1.0's third outcome: stopped by whoever ran it, no result. Shown
  // exactly as our own abort (RUN_ERROR `aborted`), never as a finished run.
  if (isRecord(event.outcome) && event.outcome.type === 'cancelled') {
    return runError(state, { type: 'RUN_ERROR', code: 'aborted', message: 'The run was cancelled', timestamp: event.timestamp })
  }
  // AG-UI reads a missing outcome as success; a pause announced in this
  // segment without an outcome is a server that predates outcomes.
  if (event.outcome === undefined && (state.pendingApproval || state.pendingSignal)) return { ...state, status: 'paused' }
  // `metadata.result` carries a null output (AG-UI 1.0 refuses `result: null`); TanStack's is `output`.
  const result = field(event, 'result')
  const output = result === undefined ? event.output : result
  return { ...state, status: 'finished', output }
}

const runError: Reducer = (state, event) => {
  const code = text(event.code) ?? 'run_error'
  const message = text(event.message) ?? 'The run failed'
  // Steps still running can no longer finish; show them as failed, not spinning.
  const steps = state.steps.map((step) =>
    step.status === 'running' ? { ...step, status: 'failed' as const, finishedAt: event.timestamp ?? step.startedAt, error: { name: code, message } } : step,
  )
  return {
    ...withSteps(state, steps),
    status: code === 'aborted' ? 'aborted' : 'error',
    error: { code, message },
    pendingApproval: null,
    pendingSignal: null,
  }
}

const reducers: Record<string, Reducer> = {
  RUN_STARTED: runStarted,
  STEP_STARTED: stepStarted,
  STEP_FINISHED: stepFinished,
  TEXT_MESSAGE_START: textMessageStart,
  TEXT_MESSAGE_CONTENT: textMessageContent,
  TEXT_MESSAGE_CHUNK: textMessageChunk,
  STATE_SNAPSHOT: stateSnapshot,
  STATE_DELTA: stateDelta,
  CUSTOM: custom,
  RUN_FINISHED: runFinished,
  RUN_ERROR: runError,
}

/**
 * The pure reducer: folds one wire event into the client state. No I/O, no
 * clock; unknown events return the same state object. Throws a
 * `state_patch_failed` WorkflowError when a STATE_DELTA cannot be applied
 * (the caller decides how to recover).
 */
export function reduceWorkflowEvent<TOutput, TState>(
  state: WorkflowClientState<TOutput, TState>,
  event: WireEvent | WorkflowEvent,
): WorkflowClientState<TOutput, TState> {
  const reducer = Object.prototype.hasOwnProperty.call(reducers, event.type) ? reducers[event.type] : undefined
  return reducer ? (reducer(state as State, event as WireEvent) as WorkflowClientState<TOutput, TState>) : state
}
