/**
 * Runs one agent inside its step: validates the input, drives whichever
 * return shape the agent chose, turns its text into TEXT_MESSAGE_* events,
 * closes whatever it left open, and validates the output.
 */
import type { WorkflowEvent } from '@stepstream/protocol'
import {
  custom,
  textMessageContent,
  textMessageEnd,
  textMessageStart,
  toolCallArgs,
  toolCallEnd,
  toolCallResult,
  toolCallStart,
} from '@stepstream/protocol'
import type { AgentDefinition } from '../authoring/definitions.js'
import type { AgentStreamChunk, AgentStreamingResult, Emit } from '../authoring/types.js'
import { WorkflowError } from '../errors.js'
import { describeIssues, validateWithSchema } from '../schema.js'
import { invalidValue } from './client-errors.js'
import { assertUserEventName, userEventValue } from './user-events.js'

export interface AgentStepContext {
  runId: string
  stepId: string
  stepName: string
  signal: AbortSignal
  emit: Emit
  /** Appends to the log in order. */
  log: (event: WorkflowEvent) => void
}

export async function runAgentStep(agent: AgentDefinition, rawInput: unknown, context: AgentStepContext): Promise<unknown> {
  const input = await validateWithSchema(agent.input, rawInput)
  if (!input.ok) {
    throw new WorkflowError('invalid_input', `Input of agent "${context.stepName}" is invalid: ${describeIssues(input.issues)}`)
  }
  const returned = await agent.run({
    input: input.value,
    emit: context.emit,
    signal: context.signal,
    runId: context.runId,
    stepId: context.stepId,
  })
  const rawOutput = await collectOutput(returned, context)
  const output = await validateWithSchema(agent.output, rawOutput)
  if (!output.ok) {
    throw invalidValue('invalid_output', `Output of agent "${context.stepName}" is invalid`, output.issues)
  }
  return output.value
}

async function collectOutput(returned: unknown, context: AgentStepContext): Promise<unknown> {
  if (isAsyncIterable(returned)) return streamToLog(returned, context)
  if (isStreamingResult(returned)) {
    // If the stream fails the output promise may reject unobserved; that rejection is already reported as the step's error.
    Promise.resolve(returned.output).catch(() => {})
    await streamToLog(returned.stream, context)
    return await returned.output
  }
  return returned
}

function isAsyncIterable(value: unknown): value is AsyncIterable<AgentStreamChunk> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

function isStreamingResult(value: unknown): value is AgentStreamingResult<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'stream' in value &&
    'output' in value &&
    isAsyncIterable((value as { stream: unknown }).stream)
  )
}

/** Writes the stream to the log; resolves to its concatenated text. */
async function streamToLog(stream: AsyncIterable<AgentStreamChunk>, context: AgentStepContext): Promise<string> {
  const { log, stepId } = context
  let text = ''
  let ownMessage: string | undefined
  const openMessages = new Set<string>()
  const openToolCalls = new Set<string>()

  const closeOwnMessage = () => {
    if (ownMessage === undefined) return
    log(textMessageEnd(ownMessage))
    openMessages.delete(ownMessage)
    ownMessage = undefined
  }

  try {
    for await (const chunk of stream) {
      context.signal.throwIfAborted()
      if (typeof chunk === 'string') {
        // AG-UI rejects empty deltas.
        if (chunk === '') continue
        if (ownMessage === undefined) {
          ownMessage = crypto.randomUUID()
          openMessages.add(ownMessage)
          log(textMessageStart(ownMessage, stepId))
        }
        text += chunk
        log(textMessageContent(ownMessage, chunk))
        continue
      }
      switch (chunk.type) {
        case 'TEXT_MESSAGE_START':
          closeOwnMessage()
          openMessages.add(chunk.messageId)
          log(textMessageStart(chunk.messageId, stepId))
          break
        case 'TEXT_MESSAGE_CONTENT':
          if (chunk.delta === '') break
          text += chunk.delta
          log(textMessageContent(chunk.messageId, chunk.delta))
          break
        case 'TEXT_MESSAGE_END':
          openMessages.delete(chunk.messageId)
          log(textMessageEnd(chunk.messageId))
          break
        case 'TOOL_CALL_START': {
          closeOwnMessage()
          openToolCalls.add(chunk.toolCallId)
          const call = { toolCallId: chunk.toolCallId, toolCallName: chunk.toolCallName }
          log(toolCallStart(chunk.parentMessageId === undefined ? call : { ...call, parentMessageId: chunk.parentMessageId }))
          break
        }
        case 'TOOL_CALL_ARGS':
          log(toolCallArgs(chunk.toolCallId, chunk.delta))
          break
        case 'TOOL_CALL_END':
          openToolCalls.delete(chunk.toolCallId)
          log(toolCallEnd(chunk.toolCallId))
          break
        case 'TOOL_CALL_RESULT':
          log(toolCallResult({ messageId: chunk.messageId, toolCallId: chunk.toolCallId, content: chunk.content }))
          break
        case 'CUSTOM':
          assertUserEventName(chunk.name)
          // As emit does: a value JSON cannot hold (or would lose) throws here.
          log(custom(chunk.name, userEventValue(chunk.name, chunk.value)))
          break
        default:
          throw new TypeError(`Agents may stream text, TEXT_MESSAGE_*, TOOL_CALL_* and CUSTOM events, not ${describe(chunk)}`)
      }
    }
  } finally {
    // Whatever the agent left open is closed inside its step, success or not.
    for (const messageId of openMessages) log(textMessageEnd(messageId))
    for (const toolCallId of openToolCalls) log(toolCallEnd(toolCallId))
  }
  return text
}

function describe(chunk: unknown): string {
  if (typeof chunk === 'object' && chunk !== null && 'type' in chunk) return String((chunk as { type: unknown }).type)
  return typeof chunk
}
