/**
 * The framework-free part of every UI adapter: which options belong to the
 * adapter and which to the client, creating and letting go of an owned
 * client, and actions bound to whichever client is current. Adapters only
 * bridge this to their framework's reactivity and lifecycle.
 */
import { initialWorkflowState, type WorkflowClientState } from './state.js'
import type { WorkflowClientOptions } from './client-options.js'
import type { WorkflowClient } from './workflow-client.js'

/** Options an adapter understands on top of the client's. */
export interface AdapterOnlyOptions {
  /**
   * Identifies the run the adapter follows. A new id lets go of the current
   * client (its stream is aborted) and starts over with a fresh one.
   */
  id?: string
  /**
   * What letting go of the client (unmount, new `id`) means: `false` (default)
   * only closes the local connection, so the server run goes on and can be
   * attached to later; `true` aborts the run on the server.
   */
  stopOnUnmount?: boolean
}

/** The adapter creates and owns a client built from these options. */
export interface OwnClientOptions<TInput = unknown, TOutput = unknown, TState = unknown>
  extends WorkflowClientOptions<TInput, TOutput, TState>,
    AdapterOnlyOptions {
  client?: undefined
}

/**
 * The adapter follows a client someone else owns (e.g. one shared between
 * components). The owner configures it and decides when it is torn down, so
 * the client options and the lifetime options do not apply here.
 */
export interface SharedClientOptions<TInput = unknown, TOutput = unknown, TState = unknown> {
  client: WorkflowClient<TInput, TOutput, TState>
}

/** An adapter's options: its own client's, or a shared client to follow. */
export type AdapterOptions<TInput = unknown, TOutput = unknown, TState = unknown> =
  | OwnClientOptions<TInput, TOutput, TState>
  | SharedClientOptions<TInput, TOutput, TState>

// The names adapters expose: every adapter's entry point is `useWorkflow`.
/** The options a `useWorkflow` adds to the client's: `id` and `stopOnUnmount`. */
export type HookOnlyOptions = AdapterOnlyOptions
/** `useWorkflow` options that create a client of the adapter's own. */
export type UseWorkflowOwnOptions<TInput = unknown, TOutput = unknown, TState = unknown> = OwnClientOptions<TInput, TOutput, TState>
/** `useWorkflow({ client })`: follow a client someone else owns. */
export type UseWorkflowSharedOptions<TInput = unknown, TOutput = unknown, TState = unknown> = SharedClientOptions<TInput, TOutput, TState>
/** What every adapter's `useWorkflow` takes: a client's options plus `id` and `stopOnUnmount`, or `{ client }`. */
export type UseWorkflowOptions<TInput = unknown, TOutput = unknown, TState = unknown> = AdapterOptions<TInput, TOutput, TState>

/** The client's actions an adapter returns. */
export type WorkflowActionName = 'start' | 'approve' | 'signal' | 'attach' | 'resume' | 'stop' | 'disconnect' | 'reset'

/** The client's actions as plain functions that always call the current client. */
export type WorkflowActions<TInput = unknown, TOutput = unknown, TState = unknown> = Pick<
  WorkflowClient<TInput, TOutput, TState>,
  WorkflowActionName
>

/**
 * Every field of `WorkflowClientState`, for adapters that expose one reactive cell per field.
 * Marked pure so that an app that never imports it can drop it: the package
 * ships as one bundled file, where `sideEffects: false` cannot.
 */
export const workflowStateFields = /* @__PURE__ */ Object.keys(/* @__PURE__ */ initialWorkflowState()) as ReadonlyArray<keyof WorkflowClientState>

/** The options of a client the adapter owns, or `undefined` for a shared client. */
export function ownClientOptions<TOptions extends { client?: object }>(options: TOptions): Exclude<TOptions, { client: object }> | undefined {
  return options.client ? undefined : (options as Exclude<TOptions, { client: object }>)
}

/** The client's part of an adapter's own options. */
export function clientOptionsOf<TInput, TOutput, TState>(
  options: OwnClientOptions<TInput, TOutput, TState>,
): WorkflowClientOptions<TInput, TOutput, TState> {
  const { id: _id, stopOnUnmount: _stopOnUnmount, client: _client, ...rest } = options
  return rest
}

/**
 * Lets go of an owned client: closes its stream, or aborts the run with
 * `stopOnUnmount`. Returns the state it was let go in when that cut something
 * the client was doing by itself: a stream in progress (an attach the run
 * has not answered yet included), or the look a paused run takes at its
 * deadline (a sleep wakes, a signal wait times out), which only `resume()`
 * arms again. An adapter used again resumes the client if that state is
 * still current (a `start()` or `reset()` since must not be superseded).
 * Only a wait the server can end by itself counts (a sleep, a
 * signal wait with a deadline); an approval never can, and resuming it would
 * wipe what the UI shows, such as why an answer was refused.
 */
export function releaseClient<TInput, TOutput, TState>(
  client: WorkflowClient<TInput, TOutput, TState>,
  stopOnUnmount: boolean | undefined,
): WorkflowClientState<TOutput, TState> | undefined {
  if (stopOnUnmount) return void client.stop()
  const { status, connection, runId, pendingApproval, pendingSignal } = client.state
  // An attach the run has not answered yet is still 'idle', yet it follows the run as a stream does.
  const following = (status === 'running' || status === 'idle') && connection !== 'closed' && connection !== 'idle'
  // resume() rejects a run without an id (a start or attach given ''), with nobody to catch it.
  const resumable = !!runId && (status === 'paused' ? (pendingSignal ? !!pendingSignal.deadline : !pendingApproval) : following)
  client.disconnect()
  return resumable ? client.state : undefined
}

/** The options that are the app's callbacks: what a client calls into its owner with. */
type CallbackName = {
  [K in keyof WorkflowClientOptions]-?: NonNullable<WorkflowClientOptions[K]> extends (...args: never[]) => unknown ? K : never
}[keyof WorkflowClientOptions]

// Typed from the options, so a new callback cannot be left out.
const noCallbacks: { readonly [K in CallbackName]-?: undefined } = {
  onEvent: undefined,
  onCustomEvent: undefined,
  onStateChange: undefined,
  onFinish: undefined,
  onError: undefined,
}

/**
 * The client's options with none of the app's callbacks, for a client whose
 * owner is gone: its connection and body still serve what letting go sends
 * (a `stopOnUnmount` abort). Copied by descriptor, not spread, so an option
 * that is a getter (Vue's live `body`) stays one.
 */
export function withoutCallbacks<TOptions extends object>(options: TOptions): TOptions {
  const quiet = Object.defineProperties({}, Object.getOwnPropertyDescriptors(options)) as TOptions
  for (const name of Object.keys(noCallbacks)) Object.defineProperty(quiet, name, { value: undefined, enumerable: true, writable: true, configurable: true })
  return quiet
}

/** Actions bound to whatever client `current()` returns when they are called. */
export function bindActions<TInput, TOutput, TState>(
  current: () => WorkflowClient<TInput, TOutput, TState>,
): WorkflowActions<TInput, TOutput, TState> {
  return {
    start: (...args) => current().start(...args),
    approve: (approved, feedback) => current().approve(approved, feedback),
    signal: (name, payload, options) => current().signal(name, payload, options),
    attach: (runId, options) => current().attach(runId, options),
    resume: () => current().resume(),
    stop: () => current().stop(),
    disconnect: () => current().disconnect(),
    reset: () => current().reset(),
  }
}
