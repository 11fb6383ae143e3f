import { CUSTOM_EVENT } from '@stepstream/protocol'

const RESERVED = new Set<string>(Object.values(CUSTOM_EVENT))

/** `emit` must not forge the protocol's own CUSTOM events (a fake approval request, say). */
export function assertUserEventName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new TypeError('emit(name, value): name must be a non-empty string')
  if (RESERVED.has(name)) throw new TypeError(`emit(name, value): "${name}" is reserved by the protocol`)
}
