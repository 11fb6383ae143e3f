import type { Schema } from '../schema.js'
import { checkedName, checkFunction } from './check-config.js'
import { registerDefinition } from './definitions.js'
import type { Agent, AgentContext, AgentReturn, AgentStreamChunk } from './types.js'

/**
 * What `defineAgent` takes. `TOutput` is what `run` produces; `TResult`,
 * what callers get, is what the `output` schema makes of it (the same without one).
 */
export interface AgentConfig<TInput, TOutput, TCallInput, TResult = TOutput> {
  /** The step name its `STEP_STARTED` carries. */
  name: string
  /** Validates the input before `run`; its input type is what callers pass. */
  input?: Schema<TCallInput, TInput>
  /** Validates what `run` produced (its input type); its output type is what callers get. */
  output?: Schema<TOutput, TResult>
  /** Does the work: returns the output, a promise of it, `{ stream, output }`, or a text stream. */
  run: (context: AgentContext<TInput>) => AgentReturn<TOutput>
}

/**
 * An agent whose `run` returns a bare stream: its text is the output. Its
 * own overload, because inferring `TOutput` from `AgentReturn<TOutput>` takes
 * the stream itself for the output (an `AsyncGenerator` is a `TOutput` too),
 * and callers would get a generator's type for a string.
 */
interface TextStreamAgentConfig<TInput, TResult, TCallInput> extends Omit<AgentConfig<TInput, string, TCallInput, TResult>, 'run'> {
  run: (context: AgentContext<TInput>) => AsyncIterable<AgentStreamChunk>
}

/**
 * Defines an agent: a plain async function, a `{ stream, output }` producer or
 * a text stream. Input and output are checked with the schemas when given.
 */
export function defineAgent<TInput = unknown, TResult = string, TCallInput = TInput>(
  config: TextStreamAgentConfig<TInput, TResult, TCallInput>,
): Agent<TCallInput, TResult>
export function defineAgent<TInput = unknown, TOutput = unknown, TCallInput = TInput, TResult = TOutput>(
  config: AgentConfig<TInput, TOutput, TCallInput, TResult>,
): Agent<TCallInput, TResult>
export function defineAgent<TInput, TOutput, TCallInput, TResult>(config: AgentConfig<TInput, TOutput, TCallInput, TResult>): Agent<TCallInput, TResult> {
  const name = checkedName('defineAgent', config)
  checkFunction('defineAgent', name, 'run', config.run)
  return registerDefinition<Agent<TCallInput, TResult>>({
    kind: 'agent',
    name,
    input: config.input,
    output: config.output,
    run: config.run as (context: AgentContext<unknown>) => AgentReturn<unknown>,
  })
}
