import type { JsonPatchOperation } from '@stepstream/protocol'
// fast-json-patch is CommonJS under Node and ESM under bundlers; its default export works in both.
import jsonPatch from 'fast-json-patch'
import { errorAbout } from './client-errors.js'

/**
 * Remembers the last state the log has seen, so each yield boundary can
 * emit exactly the change since then as one RFC 6902 patch.
 *
 * The state goes on the wire and into the journal, so it must be JSON at
 * every boundary, not only at the start: a value JSON cannot carry ends the
 * run with `invalid_state`, whenever the body puts it there.
 */
export class StateTracker {
  private lastEmitted: unknown

  constructor(
    private readonly workflowName: string,
    private readonly readState: () => unknown,
  ) {
    this.lastEmitted = this.read('Initial state')
  }

  /** The state as last emitted (a copy, safe to put in an event). */
  snapshot(): unknown {
    return cloneJson(this.lastEmitted)
  }

  /** The state as it is now (a copy). */
  current(): unknown {
    return this.read('State')
  }

  /** The patch from the last emitted state to the current one; empty when nothing changed. */
  takeDelta(): JsonPatchOperation[] {
    const current = this.read('State')
    const delta = jsonPatch.compare(this.lastEmitted as object, current as object) as JsonPatchOperation[]
    this.lastEmitted = current
    return delta
  }

  private read(what: string): unknown {
    try {
      return strictJsonCopy(this.readState())
    } catch (error) {
      throw errorAbout('invalid_state', `${what} of "${this.workflowName}" is not JSON`, error)
    }
  }
}

/** State must be JSON: this is also the copy that goes on the wire. */
export function cloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

/**
 * Like `cloneJson`, but a value JSON would silently lose throws instead: a
 * function or symbol (dropped, or null in arrays), a Map or Set (written as
 * `{}`, every entry gone). The client would see a state the body does not
 * have. A BigInt or a cycle throws either way.
 */
export function strictJsonCopy(value: unknown): unknown {
  const text = JSON.stringify(value, (key, item: unknown) => {
    const lost = typeof item === 'function' || typeof item === 'symbol' ? typeof item : item instanceof Map ? 'Map' : item instanceof Set ? 'Set' : undefined
    if (lost) throw new TypeError(key === '' ? `it is a ${lost}` : `it holds a ${lost} under "${key}"`)
    return item
  })
  return JSON.parse(text)
}
