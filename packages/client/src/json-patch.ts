/// <reference path="./fast-json-patch.d.ts" />
import { applyOperation, validator, type Operation } from 'fast-json-patch/module/core.mjs'
import { unescapePathComponent } from 'fast-json-patch/module/helpers.mjs'
import { WorkflowError } from './errors.js'

// No escape sequence can spell these keys, so the raw pointer can be tested.
const FORBIDDEN_KEY = /(^|\/)(__proto__|constructor|prototype)(\/|$)/

type Container = Record<string, unknown> | unknown[]

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null
}

function shallowCopy(container: Container): Container {
  return Array.isArray(container) ? container.slice() : { ...container }
}

function segmentsOf(pointer: string): string[] {
  return pointer.split('/').slice(1).map(unescapePathComponent)
}

/** The own child at `segment` (never an inherited member), or undefined. */
function childOf(node: unknown, segment: string): unknown {
  if (!isContainer(node)) return undefined
  if (Array.isArray(node)) return /^(0|[1-9]\d*)$/.test(segment) ? node[+segment] : undefined
  return Object.hasOwn(node, segment) ? node[segment] : undefined
}

/**
 * Copy-on-write along one pointer: every container from the root down to the
 * parent of the last segment is replaced by a shallow copy (once per patch),
 * so fast-json-patch can mutate in place without touching the caller's
 * document, and every branch off the path keeps its identity. Cost is the
 * width of the containers on the path, never the size of the document.
 * Returns whether the pointer's target is there (an own member), read on
 * the same walk.
 */
function copyAlong(root: Container, pointer: string, fresh: WeakSet<object>): boolean {
  const segments = segmentsOf(pointer)
  const last = segments.pop()!
  let node = root as Record<string, unknown>
  for (const segment of segments) {
    let child = childOf(node, segment)
    if (!isContainer(child)) return false
    if (!fresh.has(child)) fresh.add((child = shallowCopy(child)))
    node = node[segment] = child as Record<string, unknown>
  }
  return childOf(node, last) !== undefined
}

/**
 * fast-json-patch's own move/copy validation deep-clones the whole document;
 * check that `from` resolves ourselves and let it validate everything else.
 */
function validateOperation(operation: Operation, index: number, document: unknown, existingPath: string): void {
  if (operation.op !== 'move' && operation.op !== 'copy') return validator(operation, index, document, existingPath)
  validator(operation, index)
  let node = document
  if (!segmentsOf(operation.from).every((segment) => (node = childOf(node, segment)) !== undefined)) {
    throw new Error(`"from" path "${operation.from}" does not exist`)
  }
}

/**
 * Applies an RFC 6902 patch atomically and immutably: returns a new document
 * sharing every untouched branch with `document`, or throws a
 * `state_patch_failed` WorkflowError and leaves `document` as it was.
 */
export function applyStatePatch<T>(document: T, patch: readonly unknown[]): T {
  let next: unknown = document
  const fresh = new WeakSet<object>()
  try {
    if (!Array.isArray(patch)) throw new Error('the delta is not an array')
    for (const operation of patch as Operation[]) {
      // Shape first (an object, a known op, string pointers): the checks below read them.
      validator(operation, 0)
      const { op, path } = operation
      const from = 'from' in operation ? operation.from : ''
      if (FORBIDDEN_KEY.test(path) || FORBIDDEN_KEY.test(from)) throw new Error(`"${path}" touches a forbidden key`)
      // RFC 6902 4.4, unchecked by fast-json-patch: moving the root into a child made the state circular.
      if (op === 'move' && path.startsWith(`${from}/`)) throw new Error(`cannot move "${from}" into its own child "${path}"`)
      if (path !== '') {
        if (!isContainer(next)) throw new Error(`cannot apply "${path}" to a non-container state`)
        if (!fresh.has(next)) fresh.add((next = shallowCopy(next)))
        // fast-json-patch takes a member every object inherits (`/toString`) for
        // an existing key: replacing or removing one the state lacks must fail.
        const exists = op !== 'test' && copyAlong(next as Container, path, fresh)
        if (!exists && (op === 'replace' || op === 'remove')) throw new Error(`path "${path}" does not exist`)
        if (op === 'move') copyAlong(next as Container, from, fresh)
      }
      next = applyOperation(next, operation, validateOperation, true).newDocument
    }
  } catch (cause) {
    throw new WorkflowError('state_patch_failed', `STATE_DELTA could not be applied: ${(cause as Error).message}`, { cause })
  }
  return next as T
}
