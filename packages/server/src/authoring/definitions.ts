/**
 * The runtime side of agents and workflows. Public objects are plain
 * `{ kind, name }` values; what the engine needs to run them lives here,
 * keyed by object identity, so nothing internal leaks into public types.
 */
import type { Schema } from '../schema.js'
import type { Agent, AgentContext, AgentMap, AgentReturn, WorkflowBody, WorkflowContext } from './types.js'

export interface AgentDefinition {
  kind: 'agent'
  name: string
  input: Schema | undefined
  output: Schema | undefined
  run: (context: AgentContext<unknown>) => AgentReturn<unknown>
}

export interface WorkflowDefinition {
  kind: 'workflow'
  name: string
  input: Schema | undefined
  output: Schema | undefined
  state: Schema | undefined
  initialize: ((input: unknown) => unknown) | undefined
  agents: AgentMap
  run: (context: WorkflowContext<unknown, unknown, AgentMap>) => WorkflowBody<unknown>
}

export type Definition = AgentDefinition | WorkflowDefinition

const definitions = new WeakMap<Agent, Definition>()

export function registerDefinition<TAgent extends Agent>(definition: Definition): TAgent {
  // Frozen so a definition cannot be edited after the engine has seen it.
  const publicObject = Object.freeze({ kind: definition.kind, name: definition.name }) as TAgent
  definitions.set(publicObject, definition)
  return publicObject
}

export function definitionOf(agent: unknown): Definition | undefined {
  if (typeof agent !== 'object' || agent === null) return undefined
  return definitions.get(agent as Agent)
}
