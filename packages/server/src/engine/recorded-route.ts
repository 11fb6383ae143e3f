/**
 * An orchestrator's router decisions as recorded steps. A paused run is
 * rebuilt by replaying its body, and a router called in the body would be
 * asked again for every earlier turn on every rebuild: a router that calls
 * an LLM pays again each time, and one that answers differently fails the
 * run (or, worse, quietly takes another course). So the engine asks the
 * router live and journals its decision; a rebuild gets the decision back
 * and never asks.
 *
 * State: in an orchestrator the router is the only user code that sees the
 * body's state (agents get their input, not the state), so refusing its
 * changes would leave the state to `initialize` alone, and a router that
 * writes `state.plan = …` expects the client to see it and the state to
 * still hold it after an approval. A decision that changed the state is
 * therefore journalled with the state as the router left it (as JSON), and
 * replay puts that back in place instead of the router's call: the rebuilt
 * run reaches its pause with the state the live run had there (which replay
 * checks), and the changes went out once, as the live run's STATE_DELTAs.
 */
import type { RouteCommand } from '../authoring/commands.js'
import { errorAbout } from './client-errors.js'
import { strictJsonCopy } from './state-tracker.js'

/** What the journal keeps of one decision (a `route` entry's value). */
export interface RouteRecord {
  decision: unknown
  /** The body's state after the router; only when the router changed it. */
  state?: unknown
}

/**
 * Asks the router, and returns what to journal. The live body gets the same
 * JSON as a rebuilt one: the decision as recorded, and the state as recorded
 * put back in place.
 */
export async function decideRoute(command: RouteCommand): Promise<RouteRecord> {
  const before = stateAsJson(command)
  const decision = decisionAsJson(command, await command.decide())
  const after = stateAsJson(command)
  if (JSON.stringify(after) === JSON.stringify(before)) return { decision }
  restoreState(command.state, after)
  return { decision, state: after }
}

/** Replays a recorded decision: puts back the state it left, and returns the decision. */
export function replayRoute(command: RouteCommand, record: RouteRecord): unknown {
  if (record.state !== undefined) restoreState(command.state, record.state)
  return record.decision
}

/**
 * Replaces the state's contents in place: the body and the router hold this
 * very object (their `state`), so it cannot be swapped for another.
 */
function restoreState(target: object, json: unknown): void {
  const copy = strictJsonCopy(json) as Record<string, unknown>
  if (Array.isArray(target)) target.length = 0
  else for (const key of Reflect.ownKeys(target)) Reflect.deleteProperty(target, key)
  for (const [key, value] of Object.entries(copy)) {
    // Defined, not assigned: a recorded "__proto__" key is data, and assigning it would swap the state's prototype.
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
  }
}

function stateAsJson(command: RouteCommand): unknown {
  try {
    return strictJsonCopy(command.state)
  } catch (error) {
    throw errorAbout('invalid_state', `State of orchestrator "${command.orchestrator}" is not JSON, so what its router changes could not be recorded`, error)
  }
}

/**
 * Strict: a value JSON would quietly lose (a Map, a function) fails the run
 * here, instead of the agent getting something other than what was chosen.
 */
function decisionAsJson(command: RouteCommand, decision: object): unknown {
  try {
    return strictJsonCopy(decision)
  } catch (error) {
    throw errorAbout('invalid_route', `Router of "${command.orchestrator}" returned a decision JSON cannot hold, so it could not be recorded`, error)
  }
}
