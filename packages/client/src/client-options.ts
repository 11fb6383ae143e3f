import type { ReconnectOptions } from './backoff.js'
import type { WorkflowConnection } from './connection.js'
import type { WorkflowError } from './errors.js'
import type { WireEvent } from './reducer.js'
import type { StandardSchemaV1 } from './schema.js'
import type { WorkflowClientState } from './state.js'

/** Options of `new WorkflowClient(options)`; only `connection` is required. */
export interface WorkflowClientOptions<TInput = unknown, TOutput = unknown, TState = unknown> {
  /** How requests reach the server: `fetchWorkflowEvents(url)` or `localWorkflowEvents(handler)`. */
  connection: WorkflowConnection
  /** Extra body fields for every request (merged over the connection's). */
  body?: Record<string, unknown>
  /** Standard Schemas: they type `start()`, `output` and `state`. */
  input?: StandardSchemaV1<TInput, unknown>
  output?: StandardSchemaV1<unknown, TOutput>
  state?: StandardSchemaV1<unknown, TState>
  /** Check the input before sending and the output on success with the schemas. */
  validate?: boolean
  /** Resume policy after a dropped connection; `false` never retries. */
  reconnect?: Partial<ReconnectOptions> | false
  /** A connection that sends no byte for this long is dropped and resumed (default 45 s; 0 disables). */
  idleTimeoutMs?: number
  /** Publish state at most once per this many ms while streaming (the latest state always lands). */
  throttleMs?: number
  /** Each event of the run, once (not again when a replay re-applies it), with its index in the run's log. */
  onEvent?: (event: WireEvent, index: number) => void
  /** Every `CUSTOM` event: a workflow's `emit(name, value)`, and the protocol's own names too. */
  onCustomEvent?: (name: string, value: unknown, event: WireEvent) => void
  /** Each state published (at most once per `throttleMs` while streaming). */
  onStateChange?: (state: WorkflowClientState<TOutput, TState>) => void
  /** Once a run finishes successfully, with its output. */
  onFinish?: (output: TOutput, state: WorkflowClientState<TOutput, TState>) => void
  /** Each failure, with its `code`: a run error, a refused request, a lost connection, a malformed frame, a patch that did not apply. */
  onError?: (error: WorkflowError) => void
}

export interface StartOptions {
  /** The run's id (unguessable); by default the client makes one, so a retried start is idempotent. */
  runId?: string
}

/**
 * `start()` takes no input when the workflow needs none (no input schema, or
 * one that accepts `undefined`). JSON has no `undefined`, so such a start
 * sends `input: null`, which the reference server reads as no input when the
 * workflow's input schema takes a missing one.
 */
export type StartArguments<TInput> = undefined extends TInput ? [input?: TInput, options?: StartOptions] : [input: TInput, options?: StartOptions]
