import { StepFailedError } from '../errors.js'
import type { Schema } from '../schema.js'
import { checkedName, checkFunction } from './check-config.js'
import { defineAgent } from './define-agent.js'
import type { Agent, AgentStreamingResult } from './types.js'

/** What `mockAgent` takes; `TOutput` is what `result` returns, `TResult` what the `output` schema makes of it (callers get that). */
export interface MockAgentConfig<TInput, TOutput, TCallInput, TResult = TOutput> {
  name: string
  input?: Schema<TCallInput, TInput>
  output?: Schema<TOutput, TResult>
  /** Streamed word by word before the result. */
  text?: string | ((input: TInput) => string)
  result: (input: TInput) => TOutput | PromiseLike<TOutput>
  /** Pause between chunks; aborting the run interrupts it. */
  chunkDelayMs?: number
  /**
   * When set (or when it returns a message), the agent throws after streaming
   * its text: a `StepFailedError` with this message (naming the step the
   * body called, under whatever key the agent is listed),
   * which clients see as it is, in production too.
   */
  fail?: string | ((input: TInput) => string | undefined)
}

/** A scripted agent for tests, playgrounds and docs: no model, same events. */
export function mockAgent<TInput = unknown, TOutput = unknown, TCallInput = TInput, TResult = TOutput>(
  config: MockAgentConfig<TInput, TOutput, TCallInput, TResult>,
): Agent<TCallInput, TResult> {
  checkFunction('mockAgent', checkedName('mockAgent', config), 'result', config.result)
  return defineAgent<TInput, TOutput, TCallInput, TResult>({
    name: config.name,
    input: config.input,
    output: config.output,
    run: ({ input, signal }): AgentStreamingResult<TOutput> => {
      const text = typeof config.text === 'function' ? config.text(input) : (config.text ?? '')
      const failure = typeof config.fail === 'function' ? config.fail(input) : config.fail
      let resolveOutput: (value: TOutput | PromiseLike<TOutput>) => void = () => {}
      const output = new Promise<TOutput>((resolve) => {
        resolveOutput = resolve
      })
      async function* stream(): AsyncGenerator<string> {
        for (const chunk of splitWords(text)) {
          if (config.chunkDelayMs) await delay(config.chunkDelayMs, signal)
          signal.throwIfAborted()
          yield chunk
        }
        // Meant for the demo's users, not an internal detail: errors stepstream raises for clients are never masked.
        if (failure !== undefined) throw new StepFailedError(config.name, failure)
        resolveOutput(config.result(input))
      }
      return { stream: stream(), output }
    },
  })
}

/** "Hello big world" -> ["Hello", " big", " world"]: each chunk carries its leading space. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? []
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
