import type { Schema } from '../schema.js'
import { registerDefinition } from './definitions.js'
import type { Agent, AgentContext, AgentReturn } from './types.js'

export interface AgentConfig<TInput, TOutput, TCallInput> {
  name: string
  /** Validates the input before `run`; its input type is what callers pass. */
  input?: Schema<TCallInput, TInput>
  /** Validates what `run` produced; its output type is what callers get. */
  output?: Schema<unknown, TOutput>
  run: (context: AgentContext<TInput>) => AgentReturn<TOutput>
}

/**
 * Defines an agent: a plain async function, a `{ stream, output }` producer or
 * a text stream. Input and output are checked with the schemas when given.
 */
export function defineAgent<TInput = unknown, TOutput = unknown, TCallInput = TInput>(
  config: AgentConfig<TInput, TOutput, TCallInput>,
): Agent<TCallInput, TOutput> {
  return registerDefinition<Agent<TCallInput, TOutput>>({
    kind: 'agent',
    name: config.name,
    input: config.input,
    output: config.output,
    run: config.run as (context: AgentContext<unknown>) => AgentReturn<unknown>,
  })
}
