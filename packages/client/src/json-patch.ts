/// <reference path="./fast-json-patch.d.ts" />
import { applyOperation, validator, type Operation } from 'fast-json-patch/module/core.mjs'
import { unescapePathComponent } from 'fast-json-patch/module/helpers.mjs'
import { WorkflowError } from './errors.js'

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

type Container = Record<string, unknown> | unknown[]

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null
}

function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePathComponent)
}

function ownChild(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return /^(0|[1-9]\d*)$/.test(segment) ? container[Number(segment)] : undefined
  return Object.prototype.hasOwnProperty.call(container, segment) ? container[segment] : undefined
}

function resolves(document: unknown, pointer: string): boolean {
  let node = document
  for (const segment of segmentsOf(pointer)) {
    if (!isContainer(node)) return false
    const child = ownChild(node, segment)
    if (child === undefined) return false
    node = child
  }
  return true
}

/**
 * Copy-on-write along one pointer: every container from the root down to the
 * parent of the last segment is replaced by a shallow copy (once per patch),
 * so fast-json-patch can mutate in place without touching the caller's
 * document, and every branch off the path keeps its identity. Cost is the
 * width of the containers on the path, never the size of the document.
 */
function copyAlong(root: Container, pointer: string, fresh: WeakSet<object>): void {
  const segments = segmentsOf(pointer)
  let node: Container = root
  for (const segment of segments.slice(0, -1)) {
    const child = ownChild(node, segment)
    if (!isContainer(child)) return
    const copy: Container = fresh.has(child) ? child : Array.isArray(child) ? child.slice() : { ...child }
    fresh.add(copy)
    if (Array.isArray(node)) node[Number(segment)] = copy
    else node[segment] = copy
    node = copy
  }
}

function assertSafe(operation: Operation): void {
  const pointers = 'from' in operation && typeof operation.from === 'string' ? [operation.path, operation.from] : [operation.path]
  for (const pointer of pointers) {
    if (typeof pointer === 'string' && segmentsOf(pointer).some((segment) => FORBIDDEN_SEGMENTS.has(segment))) {
      throw new Error(`path "${pointer}" touches a forbidden key`)
    }
  }
}

/**
 * fast-json-patch's own move/copy validation deep-clones the whole document;
 * check that `from` resolves ourselves and let it validate everything else.
 */
function validateOperation(operation: Operation, index: number, document: unknown, existingPath: string): void {
  if (operation.op === 'move' || operation.op === 'copy') {
    validator(operation, index)
    if (!resolves(document, operation.from)) throw new Error(`"from" path "${operation.from}" does not exist`)
    return
  }
  validator(operation, index, document, existingPath)
}

/**
 * Applies an RFC 6902 patch atomically and immutably: returns a new document
 * sharing every untouched branch with `document`, or throws a
 * `state_patch_failed` WorkflowError and leaves `document` as it was.
 */
export function applyStatePatch<T>(document: T, patch: readonly unknown[]): T {
  if (!Array.isArray(patch)) throw new WorkflowError('state_patch_failed', 'STATE_DELTA.delta is not an array')
  let next: unknown = document
  const fresh = new WeakSet<object>()
  try {
    for (const raw of patch) {
      if (!isContainer(raw) || Array.isArray(raw)) throw new Error('operation is not an object')
      const operation = raw as unknown as Operation
      assertSafe(operation)
      if (operation.path === '') {
        next = applyOperation(next, operation, validateOperation, true).newDocument
        continue
      }
      if (!isContainer(next)) throw new Error(`cannot apply "${operation.path}" to a non-container state`)
      if (!fresh.has(next)) {
        next = Array.isArray(next) ? next.slice() : { ...next }
        fresh.add(next as object)
      }
      const root = next as Container
      if (operation.op !== 'test') copyAlong(root, operation.path, fresh)
      if (operation.op === 'move') copyAlong(root, operation.from, fresh)
      applyOperation(root, operation, validateOperation, true)
    }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new WorkflowError('state_patch_failed', `STATE_DELTA could not be applied: ${reason}`, { cause })
  }
  return next as T
}
