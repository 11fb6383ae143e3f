/**
 * The TypeScript types against PROTOCOL.md. Checked by the package's
 * typecheck (`tsc` covers test/): a `@ts-expect-error` that no longer
 * errors fails it. Each value is also run past the zod schema, so the two
 * descriptions of the protocol cannot drift apart.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { custom, toolCallResult } from '@stepstream/protocol'
import type { RunFinishedEvent, SignalInterrupt, StartRequest, StepStartedEvent, StepType, WorkflowEvent, WorkflowRequest } from '@stepstream/protocol'
import { startRequestSchema, workflowEventSchema } from '@stepstream/protocol/schemas'

const valid = (event: WorkflowEvent) => workflowEventSchema.safeParse(event).success

describe('event types', () => {
  it("STEP_STARTED's metadata.stepType is one of PROTOCOL's five", () => {
    expectTypeOf<NonNullable<NonNullable<StepStartedEvent['metadata']>['stepType']>>().toEqualTypeOf<StepType>()
    expectTypeOf<StepType>().toEqualTypeOf<'agent' | 'approval' | 'nested-workflow' | 'step' | 'signal'>()
    // @ts-expect-error: 'tool' is no step type (PROTOCOL §2), and the schema refuses it
    const wrong: StepStartedEvent = { type: 'STEP_STARTED', stepName: 'w', timestamp: 1, metadata: { stepId: 's1', stepType: 'tool' } }
    expect(valid(wrong)).toBe(false)
  })
})

describe('CUSTOM', () => {
  it("custom() under a protocol name takes that name's value (PROTOCOL §2), any value under a user name", () => {
    // @ts-expect-error: run.paused carries { signalName, deadline?, meta? }
    const paused = custom('run.paused', 3, { timestamp: 1 })
    // @ts-expect-error: approval-requested needs approvalId, kind and title
    const approval = custom('approval-requested', { title: 'Publish?' }, { timestamp: 1 })
    expect([valid(paused), valid(approval)]).toEqual([false, false])
    expect(valid(custom('run.paused', { signalName: 'payment' }, { timestamp: 1 }))).toBe(true)
    expect(valid(custom('progress', 3, { timestamp: 1 }))).toBe(true)
  })
})

describe('TOOL_CALL_RESULT', () => {
  it("content is AG-UI 1.0's: a string or content parts (PROTOCOL §2: tool calls 'as AG-UI')", () => {
    const parts = [
      { type: 'text' as const, text: 'Found 2 rivers' },
      { type: 'image' as const, id: 'p2', source: { type: 'url' as const, value: 'https://example.com/nile.png', mimeType: 'image/png' } },
      { type: 'document' as const, source: { type: 'data' as const, value: 'aGk=', mimeType: 'text/plain' } },
      { type: 'audio' as const, source: { type: 'file' as const, value: 'file-1', provider: 'openai' } },
      { type: 'video' as const, source: { type: 'url' as const, value: 'https://example.com/v.mp4' }, metadata: { seconds: 3 } },
    ]
    const event = toolCallResult({ messageId: 'm2', toolCallId: 't1', content: parts }, { timestamp: 1 })
    expect(valid(event)).toBe(true)
    expect(valid(toolCallResult({ messageId: 'm2', toolCallId: 't1', content: 'plain' }, { timestamp: 1 }))).toBe(true)
    const invalid = [
      [{ type: 'text' }],
      [{ type: 'image', source: { type: 'url' } }],
      [{ type: 'image', source: { type: 'data', value: 'aGk=' } }],
      [{ type: 'sticker', text: 'x' }],
      [{ type: 'text', text: 'x', metadata: null }],
      3,
    ]
    for (const content of invalid) {
      expect(workflowEventSchema.safeParse({ type: 'TOOL_CALL_RESULT', messageId: 'm2', toolCallId: 't1', content }).success, JSON.stringify(content)).toBe(false)
    }
  })
})

describe('RUN_FINISHED', () => {
  it("names a signal interrupt 'signal:<name>' (PROTOCOL §2)", () => {
    expectTypeOf<SignalInterrupt['id']>().toEqualTypeOf<`signal:${string}`>()
    // @ts-expect-error: a signal interrupt's id starts with 'signal:'
    const unnamed: SignalInterrupt = { id: 'payment', reason: 'signal', metadata: { signalName: 'payment' } }
    const event: RunFinishedEvent = { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', timestamp: 1, outcome: { type: 'interrupt', interrupts: [unnamed] } }
    expect(valid(event)).toBe(false)
  })

  it('has a result only on success (PROTOCOL §2)', () => {
    const interrupts = [{ id: 'a1', reason: 'approval' as const, message: 'Publish?' }]
    const succeeded: RunFinishedEvent = { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', timestamp: 1, outcome: { type: 'success' }, result: { ok: true } }
    const paused: RunFinishedEvent = { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', timestamp: 1, outcome: { type: 'interrupt', interrupts } }
    // @ts-expect-error: an interrupted segment has no output
    const both: RunFinishedEvent = { ...paused, result: { draft: 'x' } }
    expect([valid(succeeded), valid(paused), valid(both)]).toEqual([true, true, false])
  })
})

describe('request types', () => {
  it('hold exactly one action (PROTOCOL §4), as the schemas do', () => {
    const approval = { approvalId: 'a1', approved: true }
    // @ts-expect-error: a start that also approves is ambiguous
    const ambiguous: WorkflowRequest = { input: { topic: 'rivers' }, runId: 'r', approval }
    const built = { input: { topic: 'rivers' }, startIndex: 0 }
    // @ts-expect-error: also when the body was built elsewhere (no excess-property check to catch it)
    const start: StartRequest = built
    expect(startRequestSchema.safeParse(ambiguous).success).toBe(false)
    expect(startRequestSchema.safeParse(start).success).toBe(false)
    const fine: WorkflowRequest[] = [
      { input: null },
      { runId: 'r', approval },
      { runId: 'r', signal: { signalId: 's1', name: 'payment' } },
      { runId: 'r', startIndex: -1 },
      { runId: 'r', abort: true },
    ]
    expect(fine).toHaveLength(5)
  })
})
