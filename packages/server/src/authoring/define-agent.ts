import type { Schema } from '../schema.js'
import { registerDefinition } from './definitions.js'
import type { Agent, AgentContext, AgentReturn, AgentStreamChunk } from './types.js'

/** What `defineAgent` takes. */
export interface AgentConfig<TInput, TOutput, TCallInput> {
  /** The step name its `STEP_STARTED` carries. */
  name: string
  /** Validates the input before `run`; its input type is what callers pass. */
  input?: Schema<TCallInput, TInput>
  /** Validates what `run` produced; its output type is what callers get. */
  output?: Schema<unknown, TOutput>
  /** Does the work: returns the output, a promise of it, `{ stream, output }`, or a text stream. */
  run: (context: AgentContext<TInput>) => AgentReturn<TOutput>
}

/**
 * An agent whose `run` returns a bare stream: its text is the output. Its
 * own overload, because inferring `TOutput` from `AgentReturn<TOutput>` takes
 * the stream itself for the output (an `AsyncGenerator` is a `TOutput` too),
 * and callers would get a generator's type for a string.
 */
interface TextStreamAgentConfig<TInput, TOutput, TCallInput> extends Omit<AgentConfig<TInput, TOutput, TCallInput>, 'run'> {
  run: (context: AgentContext<TInput>) => AsyncIterable<AgentStreamChunk>
}

/**
 * Defines an agent: a plain async function, a `{ stream, output }` producer or
 * a text stream. Input and output are checked with the schemas when given.
 */
export function defineAgent<TInput = unknown, TOutput = string, TCallInput = TInput>(
  config: TextStreamAgentConfig<TInput, TOutput, TCallInput>,
): Agent<TCallInput, TOutput>
export function defineAgent<TInput = unknown, TOutput = unknown, TCallInput = TInput>(
  config: AgentConfig<TInput, TOutput, TCallInput>,
): Agent<TCallInput, TOutput>
export function defineAgent<TInput, TOutput, TCallInput>(config: AgentConfig<TInput, TOutput, TCallInput>): Agent<TCallInput, TOutput> {
  return registerDefinition<Agent<TCallInput, TOutput>>({
    kind: 'agent',
    name: config.name,
    input: config.input,
    output: config.output,
    run: config.run as (context: AgentContext<unknown>) => AgentReturn<unknown>,
  })
}
