/**
 * Refuses a definition that could never run when it is defined, naming the
 * call and what it lacks. TypeScript rules these out; a plain JS config (or
 * one built at run time) would otherwise fail mid-run, as a step throwing
 * "x is not a function" far from the mistake.
 */
import { definitionOf } from './definitions.js'

/** The config's name, checked: it is the step name on the wire and the workflow's name in requests. */
export function checkedName(caller: string, config: { name?: unknown } | undefined): string {
  const name = config?.name
  if (typeof name !== 'string' || name === '') throw new TypeError(`${caller}: name must be a non-empty string`)
  return name
}

export function checkFunction(caller: string, name: string, key: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`${caller}("${name}"): ${key} must be a function`)
}

export function checkAgents(caller: string, name: string, agents: unknown): void {
  if (agents === undefined) return
  if (typeof agents !== 'object' || agents === null) throw new TypeError(`${caller}("${name}"): agents must be an object of agents`)
  for (const [key, agent] of Object.entries(agents)) {
    if (!definitionOf(agent)) {
      throw new TypeError(`${caller}("${name}"): agents.${key} is not an agent or a workflow (made with defineAgent, mockAgent, defineWorkflow or defineOrchestrator)`)
    }
  }
}
