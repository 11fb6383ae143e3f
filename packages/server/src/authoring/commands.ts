/**
 * Commands are what `yield*` hands to the engine. Each helper here is a tiny
 * generator: it yields one command and returns whatever the engine sends back,
 * which is how `const draft = yield* agents.writer(x)` gets its value.
 */
import { cloneJson } from '../engine/state-tracker.js'
import { MAX_TEXT_LENGTH } from '../requests/text-limit.js'
import type { Schema } from '../schema.js'
import type { Jsonified } from './jsonified.js'
import type { Agent, AgentMap, ApprovalResult, BoundAgents, StepCall, WorkflowCommand } from './types.js'

export type CommandPayload =
  | { type: 'call'; agent: Agent; stepName: string; input: unknown }
  | { type: 'approval'; title: string; description: string | undefined }
  | { type: 'signal'; name: string; deadline: string | undefined; meta: unknown; payload: Schema | undefined }
  | { type: 'sleep'; name: string; deadline: string }
  | { type: 'now' }
  | { type: 'uuid' }
  | RouteCommand

/**
 * An orchestrator's router asked for its next decision. Not done in the body
 * (where a rebuild would ask the router again for every earlier turn, an LLM
 * call each): the engine asks it live and journals the decision, with the
 * state it left, and a rebuild gets both back from the journal.
 */
export interface RouteCommand {
  type: 'route'
  /** The orchestrator's name, for error messages only (the journal files every decision as `route`). */
  orchestrator: string
  /** The body's state, which the router may change: recorded after it, restored on replay. */
  state: object
  /** Calls the router; rejects when what it returned is no decision. */
  decide: () => Promise<object>
}

const COMMAND = Symbol('stepstream.command')

interface CommandObject {
  readonly [COMMAND]: CommandPayload
}

function command(payload: CommandPayload): WorkflowCommand {
  const object: CommandObject = { [COMMAND]: payload }
  return object as unknown as WorkflowCommand
}

export function readCommand(value: unknown): CommandPayload | undefined {
  if (typeof value !== 'object' || value === null || !(COMMAND in value)) return undefined
  return (value as CommandObject)[COMMAND]
}

function* step<T>(payload: CommandPayload): StepCall<T> {
  // The engine resumes the generator with the command's result, typed by the caller.
  return (yield command(payload)) as T
}

/** Turns an agent map into the `agents` a workflow calls. */
export function bindAgents<TAgents extends AgentMap>(agents: TAgents): BoundAgents<TAgents> {
  const bound: Record<string, (input?: unknown) => StepCall<unknown>> = Object.create(null)
  for (const [stepName, agent] of Object.entries(agents)) {
    bound[stepName] = (input?: unknown) => step({ type: 'call', agent, stepName, input })
  }
  return bound as BoundAgents<TAgents>
}

export interface ApproveOptions {
  title: string
  description?: string
}

/**
 * Pauses the run until someone approves or rejects. The segment ends with
 * `approval-requested` and an interrupt outcome; the decision starts a new one.
 */
export function approve(options: ApproveOptions): StepCall<ApprovalResult> {
  // Checked for plain JS bodies: the title is what the person is asked, and the wire says it is text.
  const { title, description } = options ?? ({} as Partial<ApproveOptions>)
  if (typeof title !== 'string' || title === '') {
    throw new TypeError(`approve(${describeValue(options)}): title must be a non-empty string`)
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new TypeError(`approve({ title: ${JSON.stringify(title).slice(0, 40)}, … }): description must be a string when given`)
  }
  return step({ type: 'approval', title, description })
}

/** A bad argument as an error message shows it: short, and never a throw of its own (a BigInt, a cycle). */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 40) ?? String(value)
  } catch {
    return typeof value
  }
}

export interface WaitForSignalOptions<TPayload> {
  /** After this moment the wait fails with `RUN_ERROR { code: 'timeout' }` unless caught. */
  deadline?: Date | string | number
  meta?: unknown
  /** Validates (and types) the payload; an invalid one is refused with `400 invalid_input`. */
  payload?: Schema<unknown, TPayload>
}

/**
 * Signal names starting with `__` belong to the engine's own waits (`sleep`),
 * so no workflow can wait for one and no client can send one.
 */
export const RESERVED_SIGNAL_PREFIX = '__'

/** The signal a `sleep()` waits on: reserved, so only its deadline ends it. */
export const SLEEP_SIGNAL = `${RESERVED_SIGNAL_PREFIX}sleep`

export function isReservedSignalName(name: string): boolean {
  return name.startsWith(RESERVED_SIGNAL_PREFIX)
}

/** Pauses the run until a signal with this name arrives; returns its payload (as JSON, after the `payload` schema). */
export function waitForSignal<TPayload = unknown>(name: string, options: WaitForSignalOptions<TPayload> = {}): StepCall<Jsonified<TPayload>> {
  // A signal request must name the signal, within the request limit: any other name could never be sent, and the run would wait for good.
  // Looked at first: the reserved-name check below reads it as a string.
  if (typeof name !== 'string' || name === '' || name.length > MAX_TEXT_LENGTH) {
    throw new TypeError(`waitForSignal(${describeValue(name)}): the signal name must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`)
  }
  if (isReservedSignalName(name)) {
    throw new TypeError(`waitForSignal("${name}"): names starting with "${RESERVED_SIGNAL_PREFIX}" are reserved for the engine's own waits`)
  }
  return step({
    type: 'signal',
    name,
    deadline: options.deadline === undefined ? undefined : toIsoDate(options.deadline),
    meta: options.meta === undefined ? undefined : jsonMeta(name, options.meta),
    payload: options.payload,
  })
}

/**
 * `meta` goes on the wire and into the run's record, so it is taken as the
 * JSON every reader gets (a `Date` as its ISO string, as `emit` does); one
 * JSON cannot hold is refused here, where the body can still catch it.
 */
function jsonMeta(name: string, meta: unknown): unknown {
  try {
    return cloneJson(meta)
  } catch (error) {
    throw new TypeError(`waitForSignal("${name}"): meta must be JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/**
 * Pauses the run for `ms` milliseconds: a `run.paused` for the reserved
 * signal `__sleep` with a deadline, which is the only thing that wakes it.
 */
export function sleep(ms: number): StepCall<void> {
  const deadline = new Date(Date.now() + ms)
  // Date's own complaint ("Invalid time value") would not say which call was wrong.
  if (Number.isNaN(deadline.getTime())) throw new TypeError(`sleep(${ms}): expected a number of milliseconds that ends on a date`)
  return step({ type: 'sleep', name: SLEEP_SIGNAL, deadline: deadline.toISOString() })
}

/**
 * The current time (ms since the epoch) as a recorded step: when a paused run
 * is rebuilt by replay (in this or another process), the workflow gets the
 * same value again. Use it instead of `Date.now()` in workflow bodies.
 */
export function now(): StepCall<number> {
  return step({ type: 'now' })
}

/** A random UUID as a recorded step (same value on replay); use it instead of `crypto.randomUUID()` in workflow bodies. */
export function uuid(): StepCall<string> {
  return step({ type: 'uuid' })
}

/** The router's next decision as a recorded step (see `RouteCommand`); the body gets it as JSON. */
export function route(orchestrator: string, state: object, decide: () => Promise<object>): StepCall<unknown> {
  return step({ type: 'route', orchestrator, state, decide })
}

function toIsoDate(deadline: Date | string | number): string {
  const date = deadline instanceof Date ? deadline : new Date(deadline)
  if (Number.isNaN(date.getTime())) throw new TypeError(`Invalid deadline: ${String(deadline)}`)
  return date.toISOString()
}
