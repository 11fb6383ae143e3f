import type { Schema } from '../schema.js'
import { checkAgents, checkedName, checkFunction } from './check-config.js'
import { registerDefinition } from './definitions.js'
import type { AgentMap, WorkflowBody, WorkflowContext, Workflow } from './types.js'

/**
 * What `defineWorkflow` takes. `TOutput` is what `run` returns; `TResult`,
 * the workflow's output, is what the `output` schema makes of it (the same
 * without one), as `TInput` is what the `input` schema makes of `TCallInput`.
 */
export interface WorkflowConfig<TInput, TOutput, TState, TAgents extends AgentMap, TCallInput, TResult = TOutput> {
  /** Its name, which is the step name when another workflow calls it. */
  name: string
  /** Validates the input (an invalid start input is answered `400 invalid_input`); its input type is what callers pass. */
  input?: Schema<TCallInput, TInput>
  /**
   * Validates what `run` returns (failure: `RUN_ERROR invalid_output`); when
   * given, `run` returns its input type and the output is its output type
   * (a transform or a default applies to `RUN_FINISHED.result`).
   */
  output?: Schema<TOutput, TResult>
  /** Validates the initial state (after `initialize`); also types `state`. */
  state?: Schema<unknown, TState>
  /** Seeds `state` from the validated input (may be async: the state is what it resolves to); defaults to `{}`. */
  initialize?: (input: TInput) => TState | PromiseLike<TState>
  agents?: TAgents
  /**
   * An `async function*`: `yield*` agent calls, `approve()`, `waitForSignal()`.
   * What it returns is the output (`RUN_FINISHED.result`), e.g. `succeed({ article })`
   * or `fail(reason)`; without an `output` schema, its return type is the output type.
   * A throw (or an uncaught failed step) ends the run with `RUN_ERROR`.
   */
  run: (context: WorkflowContext<TInput, TState, TAgents>) => WorkflowBody<TOutput>
}

/** Defines a workflow. It can be served over HTTP or called by another workflow as a step. */
export function defineWorkflow<
  TInput = unknown,
  TOutput = unknown,
  TState extends object = Record<string, unknown>,
  TAgents extends AgentMap = Record<never, never>,
  TCallInput = TInput,
  TResult = TOutput,
>(config: WorkflowConfig<TInput, TOutput, TState, TAgents, TCallInput, TResult>): Workflow<TCallInput, TResult, TState> {
  const name = checkedName('defineWorkflow', config)
  checkFunction('defineWorkflow', name, 'run', config.run)
  checkAgents('defineWorkflow', name, config.agents)
  return registerDefinition<Workflow<TCallInput, TResult, TState>>({
    kind: 'workflow',
    name,
    input: config.input,
    output: config.output,
    state: config.state,
    initialize: config.initialize as ((input: unknown) => unknown) | undefined,
    agents: config.agents ?? {},
    run: config.run as unknown as (context: WorkflowContext<unknown, unknown, AgentMap>) => WorkflowBody<unknown>,
  })
}
