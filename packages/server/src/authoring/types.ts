/**
 * Public types of the authoring API. Runtime details (how an agent runs, what
 * a command carries) stay in module-private maps, so these types describe
 * only what authors see and need.
 */
import type {
  CustomEvent,
  TextMessageContentEvent,
  TextMessageEndEvent,
  TextMessageStartEvent,
  ToolCallArgsEvent,
  ToolCallEndEvent,
  ToolCallResultEvent,
  ToolCallStartEvent,
} from '@stepstream/protocol'
import type { Jsonified } from './jsonified.js'

declare const commandBrand: unique symbol

/**
 * What a workflow hands to the engine at a yield. Opaque: produced by agent
 * calls (`agents.x(input)`), `approve()`, `waitForSignal()` and `sleep()`,
 * always consumed with `yield*`.
 */
export interface WorkflowCommand {
  readonly [commandBrand]: true
}

/** A step to run with `yield*`; its value is `T`. */
export type StepCall<T> = Generator<WorkflowCommand, T, unknown>

/** Sends a `CUSTOM` event with this name and value. */
export type Emit = (name: string, value: unknown) => void

/**
 * Anything a workflow can call as a step: an agent, or another workflow.
 * The `~types` field exists only in the type system (never at runtime) so
 * that `agents.x(input)` can be typed from the schemas.
 */
export interface Agent<TInput = unknown, TOutput = unknown> {
  readonly kind: 'agent' | 'workflow'
  readonly name: string
  readonly '~types'?: { readonly input: TInput; readonly output: TOutput }
}

export type AgentMap = Readonly<Record<string, Agent>>

export type AgentInput<TAgent> = TAgent extends Agent<infer TInput, unknown> ? TInput : never
export type AgentOutput<TAgent> = TAgent extends Agent<unknown, infer TOutput> ? TOutput : never

/** An input that may be `undefined` can be left out of the call. */
type CallArgs<TInput> = undefined extends TInput ? [input?: TInput] : [input: TInput]

/** `agents` as the workflow sees them: each one a function returning a step, whose value is the agent's output as JSON. */
export type BoundAgents<TAgents extends AgentMap> = {
  readonly [K in keyof TAgents]: (...args: CallArgs<AgentInput<TAgents[K]>>) => StepCall<Jsonified<AgentOutput<TAgents[K]>>>
}

/** Events an agent may put in its stream besides plain text deltas. */
export type AgentStreamEvent =
  | Omit<TextMessageStartEvent, 'timestamp'>
  | Omit<TextMessageContentEvent, 'timestamp'>
  | Omit<TextMessageEndEvent, 'timestamp'>
  | Omit<ToolCallStartEvent, 'timestamp'>
  | Omit<ToolCallArgsEvent, 'timestamp'>
  | Omit<ToolCallEndEvent, 'timestamp'>
  | Omit<ToolCallResultEvent, 'timestamp'>
  | Omit<CustomEvent, 'timestamp'>

/** A text delta, or an AG-UI event passed through to the log. */
export type AgentStreamChunk = string | AgentStreamEvent

/** What an agent's `run` gets. */
export interface AgentContext<TInput> {
  input: TInput
  emit: Emit
  /** Fires when the run is aborted; pass it to fetch / the model SDK. */
  signal: AbortSignal
  runId: string
  stepId: string
}

/** The streaming shape: text and events now, the typed output when done. */
export interface AgentStreamingResult<TOutput> {
  stream: AsyncIterable<AgentStreamChunk>
  output: PromiseLike<TOutput>
}

/**
 * What an agent's `run` may return: the output (or a promise of it), the
 * `{ stream, output }` shape, or a bare stream whose text becomes the output.
 */
export type AgentReturn<TOutput> = TOutput | PromiseLike<TOutput> | AgentStreamingResult<TOutput> | AsyncIterable<AgentStreamChunk>

/** Spells an intersection out as one object type (what editors show and type tests compare). */
type Flatten<T> = { [K in keyof T]: T[K] } & {}

/** The success branch of a business result: `succeed({ article })` is `{ ok: true, article }`. */
export type Succeeded<T extends object = Record<never, never>> = Flatten<{ ok: true } & T>

/** The failure branch of a business result. It is an output like any other, not a run error. */
export interface Failed {
  ok: false
  reason: string
}

/** What `succeed` / `fail` build: a discriminated union a client narrows on `ok`. */
export type WorkflowResult<T extends object = Record<never, never>> = Succeeded<T> | Failed

/** What `yield* approve(...)` gives the workflow: the decision, and the feedback sent with it. */
export interface ApprovalResult {
  approved: boolean
  approvalId: string
  feedback?: string
}

/** What a workflow's `run` gets. */
export interface WorkflowContext<TInput, TState, TAgents extends AgentMap> {
  /** The validated start input. */
  input: TInput
  /** Mutable; every change is streamed as a `STATE_DELTA` at the next yield. */
  state: TState
  agents: BoundAgents<TAgents>
  emit: Emit
  /** Fires when the run is aborted. */
  signal: AbortSignal
  runId: string
}

/** A workflow's `run`: whatever it returns is the workflow's output (`RUN_FINISHED.result`). */
export type WorkflowBody<TOutput> = AsyncGenerator<WorkflowCommand, TOutput, unknown>

/** A workflow is also an agent: other workflows can call it as a nested step. */
export interface Workflow<TInput = unknown, TOutput = unknown, TState = unknown> extends Agent<TInput, TOutput> {
  readonly kind: 'workflow'
  readonly '~state'?: TState
}
