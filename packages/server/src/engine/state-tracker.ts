import type { JsonPatchOperation } from '@stepstream/protocol'
// fast-json-patch is CommonJS under Node and ESM under bundlers; its default export works in both.
import jsonPatch from 'fast-json-patch'

/**
 * Remembers the last state the log has seen, so each yield boundary can
 * emit exactly the change since then as one RFC 6902 patch.
 */
export class StateTracker {
  private lastEmitted: unknown

  constructor(private readonly readState: () => unknown) {
    this.lastEmitted = cloneJson(readState())
  }

  /** The state as last emitted (a copy, safe to put in an event). */
  snapshot(): unknown {
    return cloneJson(this.lastEmitted)
  }

  /** The state as it is now (a copy). */
  current(): unknown {
    return cloneJson(this.readState())
  }

  /** The patch from the last emitted state to the current one; empty when nothing changed. */
  takeDelta(): JsonPatchOperation[] {
    const current = cloneJson(this.readState())
    const delta = jsonPatch.compare(this.lastEmitted as object, current as object) as JsonPatchOperation[]
    this.lastEmitted = current
    return delta
  }
}

/** State must be JSON: this is also the copy that goes on the wire. */
export function cloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}
