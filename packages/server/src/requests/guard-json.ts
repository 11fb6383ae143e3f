import { WorkflowRequestError } from '../errors.js'

export const MAX_JSON_DEPTH = 64

/**
 * Bodies are parsed by JSON.parse, which is safe by itself, but they are later
 * spread into objects and handed to user code. Keys that reach prototypes have
 * no business in a request, and neither has absurd nesting.
 */
export function assertSafeJson(value: unknown): void {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }]
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth >= MAX_JSON_DEPTH) throw new WorkflowRequestError('invalid_request', `Body is nested deeper than ${MAX_JSON_DEPTH} levels`)
    for (const key of Object.keys(current)) {
      if (key === '__proto__') throw new WorkflowRequestError('invalid_request', 'Body contains a forbidden "__proto__" key')
      pending.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 })
    }
  }
}
