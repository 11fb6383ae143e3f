import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  approvalInterrupt,
  approvalRequested,
  custom,
  isTerminalEvent,
  runError,
  runInterrupted,
  runPaused,
  runStarted,
  runSucceeded,
  signalInterrupt,
  stateDelta,
  stateSnapshot,
  stepFinished,
  stepStarted,
  textMessageContent,
  textMessageEnd,
  textMessageStart,
  toolCallArgs,
  toolCallEnd,
  toolCallResult,
  toolCallStart,
  type WorkflowEvent,
} from '@stepstream/protocol'
import { workflowEventSchema } from '@stepstream/protocol/schemas'

const at = { timestamp: 1_700_000_000_000 }

/** One call of every constructor, with `extra` (a timestamp, metadata) passed through. */
const buildAll = (extra?: { timestamp?: number; metadata?: Record<string, unknown> }): WorkflowEvent[] => [
  runStarted('run-1', extra),
  stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }, extra),
  textMessageStart('m1', 's1', extra),
  textMessageContent('m1', 'Hello', extra),
  textMessageEnd('m1', extra),
  toolCallStart({ toolCallId: 't1', toolCallName: 'search', parentMessageId: 'm1' }, extra),
  toolCallArgs('t1', '{"q":"rivers"}', extra),
  toolCallEnd('t1', extra),
  toolCallResult({ messageId: 'm2', toolCallId: 't1', content: 'found' }, extra),
  stepFinished({ stepName: 'writer', stepId: 's1', result: { draft: 'x' } }, extra),
  stepFinished({ stepName: 'writer', stepId: 's1', error: { name: 'Error', message: 'boom' } }, extra),
  stateSnapshot({ drafts: 0 }, extra),
  stateDelta([{ op: 'add', path: '/a', value: 1 }, { op: 'move', path: '/b', from: '/a' }], extra),
  custom('progress', { done: 1 }, extra),
  approvalRequested({ approvalId: 'a1', title: 'Publish?' }, extra),
  approvalRequested({ approvalId: 'a1', title: 'Publish?', description: 'About rivers' }, extra),
  runPaused({ signalName: 'payment' }, extra),
  runPaused({ signalName: 'payment', deadline: '2030-01-01T00:00:00.000Z', meta: { amount: 3 } }, extra),
  runInterrupted('run-1', [approvalInterrupt({ approvalId: 'a1', title: 'Publish?' })], extra),
  runInterrupted('run-1', [approvalInterrupt({ approvalId: 'a1', title: 'Publish?', description: 'About rivers' })], extra),
  runInterrupted('run-1', [signalInterrupt({ signalName: 'payment' })], extra),
  runInterrupted('run-1', [signalInterrupt({ signalName: 'payment', deadline: '2030-01-01T00:00:00.000Z', meta: 1 })], extra),
  runSucceeded('run-1', { ok: true }, extra),
  runSucceeded('run-1', null, extra),
  runSucceeded('run-1', undefined, extra),
  runError('stopped', 'aborted', extra),
]

describe('event constructors', () => {
  const built = buildAll(at)

  it.each(built.map((event) => [event.type, event] as const))('%s validates against the schema', (_, event) => {
    expect(workflowEventSchema.safeParse(event).success).toBe(true)
  })

  it('stamp every event with Date.now(), integer milliseconds (PROTOCOL §2), when given no timestamp', () => {
    const before = Date.now()
    for (const event of buildAll()) {
      expect(Number.isSafeInteger(event.timestamp), event.type).toBe(true)
      expect(event.timestamp).toBeGreaterThanOrEqual(before)
      expect(workflowEventSchema.safeParse(event).success, event.type).toBe(true)
    }
  })

  it('refuse a timestamp that is not integer milliseconds rather than build an event PROTOCOL and AG-UI refuse', () => {
    for (const timestamp of [1_700_000_000_000.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      for (const build of [() => runStarted('run-1', { timestamp }), () => textMessageContent('m1', 'Hello', { timestamp }), () => stepStarted({ stepName: 'w', stepId: 's1', stepType: 'agent' }, { timestamp })]) {
        expect(build, String(timestamp)).toThrow(RangeError)
      }
    }
    expect(runStarted('run-1', { timestamp: 0 }).timestamp).toBe(0)
  })

  it('custom(name) with no value sends null, as the wire (JSON) and AG-UI need a value', () => {
    const event = custom('ping', undefined, at)
    expect(event).toEqual({ type: 'CUSTOM', name: 'ping', value: null, timestamp: at.timestamp })
    expect(workflowEventSchema.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true)
    expectTypeOf(custom('ping', undefined).value).toEqualTypeOf<null>()
    expectTypeOf(custom('ping', 'x' as string | undefined).value).toEqualTypeOf<string | null>()
    expectTypeOf(custom('ping', { n: 1 }).value).toEqualTypeOf<{ n: number }>()
  })

  it('keep metadata given to them, under the keys stepstream sets itself', () => {
    for (const event of buildAll({ ...at, metadata: { traceId: 'tr1', stepId: 'not-this' } })) {
      expect(event.metadata?.traceId, event.type).toBe('tr1')
      expect(workflowEventSchema.safeParse(event).success, event.type).toBe(true)
    }
    expect(stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }, { metadata: { stepId: 'x' } }).metadata?.stepId).toBe('s1')
  })

  it('puts stepstream data in metadata, never at the top level', () => {
    const event = stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }, at)
    expect(event).toEqual({
      type: 'STEP_STARTED',
      stepName: 'writer',
      timestamp: at.timestamp,
      metadata: { stepId: 's1', stepType: 'agent' },
    })
  })

  it('records a failed step with an error and no result', () => {
    const event = stepFinished({ stepName: 'w', stepId: 's', result: 1, error: { name: 'E', message: 'm' } }, at)
    expect(event.metadata).toEqual({ stepId: 's', error: { name: 'E', message: 'm' } })
  })

  it('leaves result off a successful run that returned nothing', () => {
    expect('result' in runSucceeded('r', undefined, at)).toBe(false)
  })

  it('threadId equals runId', () => {
    expect(runStarted('abc', at)).toMatchObject({ threadId: 'abc', runId: 'abc' })
  })

  it('knows terminal events', () => {
    expect(built.filter(isTerminalEvent).map((event) => event.type)).toEqual([...Array(7).fill('RUN_FINISHED'), 'RUN_ERROR'])
  })

  it('rejects an event with a missing required field', () => {
    expect(workflowEventSchema.safeParse({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm' }).success).toBe(false)
    expect(workflowEventSchema.safeParse({ type: 'RUN_FINISHED', runId: 'r', threadId: 'r', outcome: { type: 'interrupt', interrupts: [] } }).success).toBe(false)
  })
})
