import { describe, expect, it } from 'vitest'
import {
  approvalInterrupt,
  approvalRequested,
  isTerminalEvent,
  runError,
  runInterrupted,
  runStarted,
  runSucceeded,
  signalInterrupt,
  stateDelta,
  stepFinished,
  stepStarted,
  textMessageStart,
  type WorkflowEvent,
} from '@stepstream/protocol'
import { workflowEventSchema } from '@stepstream/protocol/schemas'

const at = { timestamp: 1_700_000_000_000 }

describe('event constructors', () => {
  const built: WorkflowEvent[] = [
    runStarted('run-1', at),
    stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }, at),
    textMessageStart('m1', 's1', at),
    stepFinished({ stepName: 'writer', stepId: 's1', result: { draft: 'x' } }, at),
    stepFinished({ stepName: 'writer', stepId: 's1', error: { name: 'Error', message: 'boom' } }, at),
    stateDelta([{ op: 'add', path: '/a', value: 1 }], at),
    approvalRequested({ approvalId: 'a1', title: 'Publish?' }, at),
    runInterrupted('run-1', [approvalInterrupt({ approvalId: 'a1', title: 'Publish?' })], at),
    runInterrupted('run-1', [signalInterrupt({ signalName: 'payment' })], at),
    runSucceeded('run-1', { ok: true }, at),
    runError('stopped', 'aborted', at),
  ]

  it.each(built.map((event) => [event.type, event] as const))('%s validates against the schema', (_, event) => {
    expect(workflowEventSchema.safeParse(event).success).toBe(true)
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
    expect(built.filter(isTerminalEvent).map((event) => event.type)).toEqual([
      'RUN_FINISHED',
      'RUN_FINISHED',
      'RUN_FINISHED',
      'RUN_ERROR',
    ])
  })

  it('rejects an event with a missing required field', () => {
    expect(workflowEventSchema.safeParse({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm' }).success).toBe(false)
    expect(workflowEventSchema.safeParse({ type: 'RUN_FINISHED', runId: 'r', threadId: 'r', outcome: { type: 'interrupt', interrupts: [] } }).success).toBe(false)
  })
})
