import fc from 'fast-check'
import { eventText, json, jsonObject, type Json } from './json-arbitrary.js'

const t = 1_700_000_000_000

const pointer = fc.oneof(
  fc.constantFrom('', '/a', '/a/b', '/notes/-', '/notes/0', '/phase', '/__proto__/polluted', '/constructor/prototype/polluted', '/a/__proto__', '/prototype', '/a~1b', '/~0'),
  fc.array(fc.constantFrom('a', 'b', '0', '-', '__proto__', 'constructor', 'prototype'), { maxLength: 3 }).map((parts) => parts.map((part) => `/${part}`).join('')),
)

const operation = fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'), path: pointer, from: pointer, value: json }).map(
  ({ op, path, from, value }): Json => ({
    entries: [['op', op], ['path', path], ...(op === 'move' || op === 'copy' ? ([['from', from]] as Array<[string, Json]>) : []), ...(op === 'remove' ? [] : ([['value', value]] as Array<[string, Json]>))],
  }),
)

const tokens = fc.array(fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }), { minLength: 0, maxLength: 6 })

/** One run of a step: STEP_STARTED, a streamed message, STEP_FINISHED (success or failure). */
const stepBlock = fc.record({ step: fc.nat({ max: 3 }), tokens, result: json, failed: fc.boolean() }).map(({ step, tokens: parts, result, failed }) => {
  const stepId = `s${step}`
  const messageId = `m${step}`
  return [
    eventText({ type: 'STEP_STARTED', stepName: `step-${step}`, timestamp: t, metadata: { entries: [['stepId', stepId], ['stepType', 'agent']] } }),
    eventText({ type: 'TEXT_MESSAGE_START', messageId, role: 'assistant', timestamp: t, metadata: { entries: [['stepId', stepId]] } }),
    ...parts.map((delta) => eventText({ type: 'TEXT_MESSAGE_CONTENT', messageId, delta, timestamp: t })),
    eventText({ type: 'TEXT_MESSAGE_END', messageId, timestamp: t }),
    eventText({
      type: 'STEP_FINISHED',
      stepName: `step-${step}`,
      timestamp: t,
      metadata: { entries: [['stepId', stepId], failed ? ['error', { entries: [['name', 'Error'], ['message', 'boom']] }] : ['result', result]] },
    }),
  ]
})

const loose = fc.oneof(
  fc.array(operation, { maxLength: 4 }).map((delta) => [eventText({ type: 'STATE_DELTA', delta, timestamp: t })]),
  jsonObject.map((snapshot) => [eventText({ type: 'STATE_SNAPSHOT', snapshot, timestamp: t })]),
  fc.tuple(fc.constantFrom('approval-requested', 'run.paused', 'steps-snapshot', '__proto__', 'constructor', 'user-event'), json).map(([name, value]) => [
    eventText({ type: 'CUSTOM', name, value, timestamp: t }),
  ]),
  json.map((value) => [eventText({ type: 'SOMETHING_NEW', value, timestamp: t })]),
  // A field of the wrong type where the reducer expects a string, array or object.
  json.map((value) => [eventText({ type: 'TEXT_MESSAGE_CONTENT', messageId: value, delta: value, timestamp: t })]),
)

const terminal = fc.oneof(
  json.map((result) => [eventText({ type: 'RUN_FINISHED', threadId: 'r', runId: 'r', result, outcome: { entries: [['type', 'success']] }, timestamp: t })]),
  fc.constant([
    eventText({ type: 'CUSTOM', name: 'approval-requested', value: { entries: [['approvalId', 'a1'], ['kind', 'workflow'], ['title', 'Ok?']] }, timestamp: t }),
    eventText({
      type: 'RUN_FINISHED',
      threadId: 'r',
      runId: 'r',
      outcome: { entries: [['type', 'interrupt'], ['interrupts', [{ entries: [['id', 'a1'], ['reason', 'approval'], ['message', 'Ok?']] }]]] },
      timestamp: t,
    }),
  ]),
  fc.constantFrom('aborted', 'step_failed', 'internal').map((code) => [eventText({ type: 'RUN_ERROR', message: 'failed', code, timestamp: t })]),
  // No terminal event: the stream just ends.
  fc.constant([] as string[]),
)

/** A run's events as JSON texts: a valid prefix shape with hostile payloads in it. */
export const eventSequence = fc
  .tuple(jsonObject, fc.array(fc.oneof(stepBlock, loose), { maxLength: 8 }), terminal)
  .map(([snapshot, blocks, end]) => [
    eventText({ type: 'RUN_STARTED', threadId: 'r', runId: 'r', timestamp: t }),
    eventText({ type: 'STATE_SNAPSHOT', snapshot, timestamp: t }),
    ...blocks.flat(),
    ...end,
  ])

/** SSE text of the events, with or without `id:` lines, with LF or CRLF line ends. */
export function sseText(events: readonly string[], options: { ids: boolean; crlf: boolean; retryMs?: number }): string {
  const frames = events.map((data, index) => `${options.ids ? `id: ${index}\n` : ''}data: ${data}\n\n`)
  if (options.retryMs !== undefined) frames.unshift(`retry: ${options.retryMs}\n\n`)
  const text = frames.join('')
  return options.crlf ? text.replaceAll('\n', '\r\n') : text
}
