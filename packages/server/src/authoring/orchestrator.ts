import { WorkflowError } from '../errors.js'
import type { Schema } from '../schema.js'
import { checkAgents, checkedName, checkFunction } from './check-config.js'
import { route as recordedRoute } from './commands.js'
import { defineWorkflow } from './define-workflow.js'
import type { Jsonified } from './jsonified.js'
import type { AgentInput, AgentMap, AgentOutput, StepCall, Workflow } from './types.js'

/** One agent call the router asked for, checked against the agent map. */
export type RouteTo<TAgents extends AgentMap> = {
  [K in keyof TAgents & string]: { agent: K; input: AgentInput<TAgents[K]> }
}[keyof TAgents & string]

export type RouterDecision<TAgents extends AgentMap, TOutput> = RouteTo<TAgents> | { done: true; output: TOutput }

/**
 * One agent turn taken. `input` is the decision's input as recorded, and
 * `output` what the body got from the step: both JSON (see `Jsonified`), as
 * a rebuilt run reads them from the journal.
 */
export type OrchestratorTurn<TAgents extends AgentMap> = {
  [K in keyof TAgents & string]: { agent: K; input: Jsonified<AgentInput<TAgents[K]>>; output: Jsonified<AgentOutput<TAgents[K]>> }
}[keyof TAgents & string]

export interface RouterContext<TInput, TState, TAgents extends AgentMap> {
  input: TInput
  state: TState
  /** Agent turns taken so far. */
  turn: number
  history: ReadonlyArray<OrchestratorTurn<TAgents>>
  signal: AbortSignal
}

export type Router<TInput, TOutput, TState, TAgents extends AgentMap> = (
  context: RouterContext<TInput, TState, TAgents>,
) => RouterDecision<TAgents, TOutput> | PromiseLike<RouterDecision<TAgents, TOutput>>

export interface RouterConfig<TInput, TOutput, TState, TAgents extends AgentMap> {
  agents: TAgents
  input?: Schema<unknown, TInput>
  /** The router's `done` output is what this schema takes (its input type). */
  output?: Schema<TOutput, unknown>
  state?: Schema<unknown, TState>
}

/**
 * Types a router against an agent map (and optionally the orchestrator's
 * schemas) so it can be written, tested and reused on its own.
 */
export function defineRouter<TAgents extends AgentMap, TInput = unknown, TOutput = unknown, TState = Record<string, unknown>>(
  _config: RouterConfig<TInput, TOutput, TState, TAgents>,
  router: Router<TInput, TOutput, TState, TAgents>,
): Router<TInput, TOutput, TState, TAgents> {
  return router
}

/**
 * What `defineOrchestrator` takes: a workflow's config with a `router` in
 * place of `run`. `TOutput` is the router's `done` output; `TResult`, the
 * orchestrator's output, is what the `output` schema makes of it.
 */
export interface OrchestratorConfig<TInput, TOutput, TState, TAgents extends AgentMap, TCallInput, TResult = TOutput> {
  name: string
  input?: Schema<TCallInput, TInput>
  output?: Schema<TOutput, TResult>
  state?: Schema<unknown, TState>
  /** Seeds `state` from the validated input (may be async); defaults to `{}`. */
  initialize?: (input: TInput) => TState | PromiseLike<TState>
  agents: TAgents
  router: Router<TInput, TOutput, TState, TAgents>
  /** Agent turns allowed before the run fails with `max_turns_exceeded` (default 10). */
  maxTurns?: number
}

/** The `maxTurns` an orchestrator gets when it names none. */
export const DEFAULT_MAX_TURNS = 10

/**
 * A workflow whose control flow is a router: each turn it picks an agent and
 * its input, or says it is done. Every agent turn is an ordinary agent step.
 */
export function defineOrchestrator<
  TInput = unknown,
  TOutput = unknown,
  TState extends object = Record<string, unknown>,
  TAgents extends AgentMap = Record<never, never>,
  TCallInput = TInput,
  TResult = TOutput,
>(config: OrchestratorConfig<TInput, TOutput, TState, TAgents, TCallInput, TResult>): Workflow<TCallInput, TResult, TState> {
  const name = checkedName('defineOrchestrator', config)
  checkFunction('defineOrchestrator', name, 'router', config.router)
  checkAgents('defineOrchestrator', name, config.agents)
  const maxTurns = config.maxTurns ?? DEFAULT_MAX_TURNS
  // NaN would bound nothing (`turn >= NaN` is never true): a router that never finishes would run agents forever.
  if (!(maxTurns >= 0)) throw new TypeError(`defineOrchestrator: maxTurns must be a number of turns, not ${maxTurns}`)
  return defineWorkflow<TInput, TOutput, TState, TAgents, TCallInput, TResult>({
    name: config.name,
    input: config.input,
    output: config.output,
    state: config.state,
    initialize: config.initialize,
    agents: config.agents,
    run: async function* ({ input, state, agents, signal }) {
      const history: OrchestratorTurn<TAgents>[] = []
      for (let turn = 0; ; turn += 1) {
        // A recorded step, not a plain call: a rebuilt run gets each decision
        // (as JSON) from the journal instead of asking the router again.
        const decision = (yield* recordedRoute(config.name, state, async () => {
          const returned: unknown = await config.router({ input, state, turn, history, signal })
          // A JS router may return anything; only an object is a decision to read.
          if (typeof returned !== 'object' || returned === null) {
            throw new WorkflowError('invalid_route', `Router of "${config.name}" returned ${String(returned)}, not { agent, input } or { done: true, output }`)
          }
          return returned
        })) as RouterDecision<TAgents, TOutput>
        if ('done' in decision && decision.done) return decision.output
        if (turn >= maxTurns) {
          throw new WorkflowError('max_turns_exceeded', `Orchestrator "${config.name}" did not finish within ${maxTurns} turns`)
        }
        const route = decision as RouteTo<TAgents>
        const call = (agents as Record<string, ((input: unknown) => StepCall<unknown>) | undefined>)[route.agent]
        if (!call || !Object.hasOwn(config.agents, route.agent)) {
          throw new WorkflowError('invalid_route', `Router chose unknown agent "${String(route.agent)}"`)
        }
        const output = yield* call(route.input)
        history.push({ agent: route.agent, input: route.input, output } as OrchestratorTurn<TAgents>)
      }
    },
  })
}
