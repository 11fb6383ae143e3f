import type { Schema } from '../schema.js'
import { registerDefinition } from './definitions.js'
import type { AgentMap, WorkflowBody, WorkflowContext, Workflow } from './types.js'

export interface WorkflowConfig<TInput, TOutput, TState, TAgents extends AgentMap, TCallInput> {
  name: string
  input?: Schema<TCallInput, TInput>
  output?: Schema<unknown, TOutput>
  /** Validates the initial state (after `initialize`); also types `state`. */
  state?: Schema<unknown, TState>
  /** Seeds `state` from the validated input; defaults to `{}`. */
  initialize?: (input: TInput) => TState
  agents?: TAgents
  /** An `async function*`: `yield*` agent calls, `approve()`, `waitForSignal()`; return `succeed()` or `fail()`. */
  run: (context: WorkflowContext<TInput, TState, TAgents>) => WorkflowBody<TOutput>
}

/** Defines a workflow. It can be served over HTTP or called by another workflow as a step. */
export function defineWorkflow<
  TInput = unknown,
  TOutput = unknown,
  TState extends object = Record<string, unknown>,
  TAgents extends AgentMap = Record<never, never>,
  TCallInput = TInput,
>(config: WorkflowConfig<TInput, TOutput, TState, TAgents, TCallInput>): Workflow<TCallInput, TOutput, TState> {
  return registerDefinition<Workflow<TCallInput, TOutput, TState>>({
    kind: 'workflow',
    name: config.name,
    input: config.input,
    output: config.output,
    state: config.state,
    initialize: config.initialize as ((input: unknown) => unknown) | undefined,
    agents: config.agents ?? {},
    run: config.run as unknown as (context: WorkflowContext<unknown, unknown, AgentMap>) => WorkflowBody<unknown>,
  })
}
