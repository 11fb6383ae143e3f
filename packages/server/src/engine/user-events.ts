import { CUSTOM_EVENT } from '@stepstream/protocol'
import { strictJsonCopy } from './state-tracker.js'

const RESERVED = new Set<string>(Object.values(CUSTOM_EVENT))

/** `emit` must not forge the protocol's own CUSTOM events (a fake approval request, say). */
export function assertUserEventName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new TypeError('emit(name, value): name must be a non-empty string')
  if (RESERVED.has(name)) throw new TypeError(`emit(name, value): "${name}" is reserved by the protocol`)
}

/**
 * The value a user event carries: logged events never change and go out as
 * JSON, so this is a JSON copy, and, as for the state, one JSON would lose
 * silently (a Map sent as `{}`, a function as nothing) is refused with the
 * rest, where the body or agent can still catch it. `undefined` is `null`.
 */
export function userEventValue(name: string, value: unknown): unknown {
  if (value === undefined) return null
  try {
    return strictJsonCopy(value)
  } catch (error) {
    throw new TypeError(`emit("${name}", value): value must be JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}
