import { describe, expect, it } from 'vitest'
import { initialWorkflowState, reduceWorkflowEvent, type WireEvent, type WorkflowClientState } from '@stepstream/client'
import type { WorkflowEvent } from '@stepstream/protocol'
import { articleStartSegment } from './helpers.js'

type State = WorkflowClientState

function fold(events: ReadonlyArray<WireEvent | WorkflowEvent>, from: State = initialWorkflowState()): State {
  return events.reduce<State>((state, event) => reduceWorkflowEvent(state, event), from)
}

const running: State = { ...initialWorkflowState(), runId: 'r', status: 'running' }
const withStep = fold([{ type: 'STEP_STARTED', stepName: 'writer', timestamp: 10, metadata: { stepId: 's1', stepType: 'agent' } }], running)

interface Row {
  name: string
  from: State
  events: WireEvent[]
  expect: (state: State) => void
}

const rows: Row[] = [
  {
    name: 'RUN_STARTED sets the run and running status',
    from: initialWorkflowState(),
    events: [{ type: 'RUN_STARTED', runId: 'r1', threadId: 'r1' }],
    expect: (s) => expect(s).toMatchObject({ runId: 'r1', status: 'running', error: null }),
  },
  {
    name: 'RUN_STARTED of a new segment keeps steps and clears the pause',
    from: { ...withStep, status: 'paused', pendingApproval: { approvalId: 'a', title: 't' } },
    events: [{ type: 'RUN_STARTED', runId: 'r', threadId: 'r' }],
    expect: (s) => {
      expect(s.steps).toHaveLength(1)
      expect(s.pendingApproval).toBeNull()
      expect(s.status).toBe('running')
    },
  },
  {
    name: 'RUN_STARTED of another run starts from empty steps',
    from: withStep,
    events: [{ type: 'RUN_STARTED', runId: 'other', threadId: 'other' }],
    expect: (s) => expect(s).toMatchObject({ runId: 'other', steps: [], currentStep: null }),
  },
  {
    name: 'STEP_STARTED (our shape) reads stepId and stepType from metadata',
    from: running,
    events: [{ type: 'STEP_STARTED', stepName: 'writer', timestamp: 5, metadata: { stepId: 's1', stepType: 'agent' } }],
    expect: (s) => {
      expect(s.steps).toEqual([{ stepId: 's1', stepName: 'writer', stepType: 'agent', status: 'running', startedAt: 5, text: '' }])
      expect(s.currentStep?.stepId).toBe('s1')
    },
  },
  {
    name: 'STEP_STARTED (TanStack shape) reads top-level stepId and stepType',
    from: running,
    events: [{ type: 'STEP_STARTED', stepName: 'writer', stepId: 'agent:writer', stepType: 'agent', timestamp: 5 }],
    expect: (s) => expect(s.steps[0]).toMatchObject({ stepId: 'agent:writer', stepType: 'agent' }),
  },
  {
    name: 'STEP_STARTED (plain AG-UI) uses the step name as id',
    from: running,
    events: [{ type: 'STEP_STARTED', stepName: 'plan' }],
    expect: (s) => expect(s.steps[0]).toMatchObject({ stepId: 'plan', stepName: 'plan', status: 'running' }),
  },
  {
    name: 'STEP_FINISHED (our shape) records the result',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'writer', timestamp: 20, metadata: { stepId: 's1', result: { draft: 'd' } } }],
    expect: (s) => {
      expect(s.steps[0]).toMatchObject({ status: 'finished', result: { draft: 'd' }, finishedAt: 20 })
      expect(s.currentStep).toBeNull()
    },
  },
  {
    name: 'STEP_FINISHED (our shape) keeps a null result as null',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'writer', metadata: { stepId: 's1', result: null } }],
    expect: (s) => expect(s.steps[0]).toMatchObject({ status: 'finished', result: null }),
  },
  {
    name: 'STEP_STARTED (plain AG-UI) under a name that ran before is a new step (a graph node in a loop)',
    from: running,
    events: [
      { type: 'STEP_STARTED', stepName: 'agent' },
      { type: 'STEP_FINISHED', stepName: 'agent', timestamp: 2 },
      { type: 'STEP_STARTED', stepName: 'agent', timestamp: 3 },
    ],
    expect: (s) => {
      expect(s.steps).toMatchObject([
        { stepId: 'agent', status: 'finished', finishedAt: 2 },
        { stepId: 'agent#1', status: 'running', startedAt: 3 },
      ])
      expect(s.currentStep?.stepId).toBe('agent#1')
    },
  },
  {
    name: 'STEP_FINISHED with metadata.error fails the step',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'writer', metadata: { stepId: 's1', error: { name: 'TypeError', message: 'boom' } } }],
    expect: (s) => expect(s.steps[0]).toMatchObject({ status: 'failed', error: { name: 'TypeError', message: 'boom' } }),
  },
  {
    name: 'STEP_FINISHED (TanStack) reads content as the result',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'writer', stepId: 's1', content: { draft: 'x' } }],
    expect: (s) => expect(s.steps[0]).toMatchObject({ status: 'finished', result: { draft: 'x' } }),
  },
  {
    name: 'STEP_FINISHED (TanStack) reads the { error } envelope as a failure',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'writer', stepId: 's1', content: { error: { name: 'Error', message: 'bad' } } }],
    expect: (s) => expect(s.steps[0]).toMatchObject({ status: 'failed', error: { name: 'Error', message: 'bad' } }),
  },
  {
    name: 'STEP_FINISHED without a stepId matches the running step by name',
    from: fold([{ type: 'STEP_STARTED', stepName: 'plan' }], running),
    events: [{ type: 'STEP_FINISHED', stepName: 'plan' }],
    expect: (s) => expect(s.steps[0]!.status).toBe('finished'),
  },
  {
    name: 'STEP_FINISHED marked suspended (a pause inside a nested workflow) keeps the step running',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'writer', metadata: { stepId: 's1', suspended: true } }],
    expect: (s) => expect(s).toBe(withStep),
  },
  {
    name: 'STEP_STARTED for a known step id reopens it with its text',
    from: fold(
      [
        { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', metadata: { stepId: 's1' } },
        { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'before pause' },
        { type: 'STEP_FINISHED', stepName: 'writer', timestamp: 20, metadata: { stepId: 's1', result: 1 } },
      ],
      withStep,
    ),
    events: [{ type: 'STEP_STARTED', stepName: 'writer', timestamp: 30, metadata: { stepId: 's1', stepType: 'nested-workflow' } }],
    expect: (s) => {
      expect(s.steps).toHaveLength(1)
      expect(s.steps[0]).toMatchObject({ status: 'running', text: 'before pause', startedAt: 10 })
      expect(s.steps[0]).not.toHaveProperty('finishedAt')
      expect(s.currentStep?.stepId).toBe('s1')
    },
  },
  {
    name: 'STEP_FINISHED for an unknown step changes nothing',
    from: withStep,
    events: [{ type: 'STEP_FINISHED', stepName: 'ghost', metadata: { stepId: 'nope' } }],
    expect: (s) => expect(s).toBe(withStep),
  },
  {
    name: 'text goes to its step and currentText follows the running step',
    from: withStep,
    events: [
      { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', metadata: { stepId: 's1' } },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'Hi ' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'there' },
      { type: 'TEXT_MESSAGE_END', messageId: 'm1' },
    ],
    expect: (s) => {
      expect(s.steps[0]!.text).toBe('Hi there')
      expect(s.currentText).toBe('Hi there')
    },
  },
  {
    name: 'a message without a stepId belongs to the running step (TanStack)',
    from: withStep,
    events: [
      { type: 'TEXT_MESSAGE_START', messageId: 'm9', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm9', delta: 'x' },
    ],
    expect: (s) => expect(s.steps[0]!.text).toBe('x'),
  },
  {
    name: 'each step keeps its own text; currentText switches when the next step streams',
    from: withStep,
    events: [
      { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', metadata: { stepId: 's1' } },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'draft' },
      { type: 'STEP_FINISHED', stepName: 'writer', metadata: { stepId: 's1' } },
      { type: 'STEP_STARTED', stepName: 'editor', metadata: { stepId: 's2', stepType: 'agent' } },
      { type: 'TEXT_MESSAGE_START', messageId: 'm2', role: 'assistant', metadata: { stepId: 's2' } },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm2', delta: 'edit' },
    ],
    expect: (s) => {
      expect(s.steps.map((step) => step.text)).toEqual(['draft', 'edit'])
      expect(s.currentText).toBe('edit')
    },
  },
  {
    name: 'currentText keeps the last streamed text through a step that does not stream',
    from: withStep,
    events: [
      { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', metadata: { stepId: 's1' } },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'the draft' },
      { type: 'STEP_FINISHED', stepName: 'writer', metadata: { stepId: 's1' } },
      { type: 'STEP_STARTED', stepName: 'approval', metadata: { stepId: 'a1', stepType: 'approval' } },
    ],
    expect: (s) => {
      expect(s.currentStep?.stepId).toBe('a1')
      expect(s.currentText).toBe('the draft')
    },
  },
  {
    name: 'text outside any step still shows in currentText',
    from: running,
    events: [{ type: 'TEXT_MESSAGE_CONTENT', messageId: 'loose', delta: 'hey' }],
    expect: (s) => expect(s.currentText).toBe('hey'),
  },
  {
    name: 'STATE_SNAPSHOT replaces state',
    from: { ...running, state: { old: true } },
    events: [{ type: 'STATE_SNAPSHOT', snapshot: { fresh: 1 } }],
    expect: (s) => expect(s.state).toEqual({ fresh: 1 }),
  },
  {
    name: 'STATE_DELTA applies RFC 6902',
    from: { ...running, state: { list: [1, 3] } },
    events: [{ type: 'STATE_DELTA', delta: [{ op: 'add', path: '/list/1', value: 2 }] }],
    expect: (s) => expect(s.state).toEqual({ list: [1, 2, 3] }),
  },
  {
    name: 'STATE_DELTA of a started run with no snapshot yet applies to {} (AG-UI)',
    from: running,
    events: [{ type: 'STATE_DELTA', delta: [{ op: 'add', path: '/count', value: 1 }] }],
    expect: (s) => expect(s.state).toEqual({ count: 1 }),
  },
  {
    name: 'approval-requested pauses with a pending approval',
    from: running,
    events: [{ type: 'CUSTOM', name: 'approval-requested', value: { approvalId: 'a1', kind: 'workflow', title: 'Ok?', description: 'd' } }],
    expect: (s) => expect(s).toMatchObject({ status: 'paused', pendingApproval: { approvalId: 'a1', title: 'Ok?', description: 'd' } }),
  },
  {
    name: 'run.paused pauses with a pending signal',
    from: running,
    events: [{ type: 'CUSTOM', name: 'run.paused', value: { signalName: 'payment', deadline: '2030-01-01T00:00:00Z', meta: { amount: 5 } } }],
    expect: (s) => expect(s).toMatchObject({ status: 'paused', pendingSignal: { signalName: 'payment', deadline: '2030-01-01T00:00:00Z', meta: { amount: 5 } } }),
  },
  {
    name: "run.paused for '__approval' is ignored",
    from: running,
    events: [{ type: 'CUSTOM', name: 'run.paused', value: { signalName: '__approval' } }],
    expect: (s) => expect(s).toBe(running),
  },
  {
    name: "run.paused for a server-owned '__' wait (a sleep) offers no signal to send",
    from: running,
    events: [
      { type: 'CUSTOM', name: 'run.paused', value: { signalName: '__sleep', deadline: '2030-01-01T00:00:00Z' } },
      { type: 'RUN_FINISHED', runId: 'r', threadId: 'r', outcome: { type: 'interrupt', interrupts: [{ id: 'signal:__sleep', reason: 'signal', metadata: { signalName: '__sleep' } }] } },
    ],
    expect: (s) => expect(s).toMatchObject({ status: 'paused', pendingSignal: null, pendingApproval: null }),
  },
  {
    name: 'steps-snapshot (TanStack attach) rebuilds the timeline',
    from: running,
    events: [{ type: 'CUSTOM', name: 'steps-snapshot', value: { steps: [
      { index: 0, kind: 'agent', name: 'writer', result: { d: 1 }, startedAt: 1, finishedAt: 2 },
      { index: 1, kind: 'agent', name: 'editor', error: { name: 'Error', message: 'no' }, startedAt: 3, finishedAt: 4 },
    ] } }],
    expect: (s) => {
      expect(s.steps.map((step) => [step.stepName, step.status])).toEqual([['writer', 'finished'], ['editor', 'failed']])
      expect(s.steps[0]).toMatchObject({ stepType: 'agent', result: { d: 1 }, startedAt: 1, finishedAt: 2 })
    },
  },
  {
    name: 'a user CUSTOM event keeps no state',
    from: running,
    events: [{ type: 'CUSTOM', name: 'progress', value: 50 }],
    expect: (s) => expect(s).toBe(running),
  },
  {
    name: 'RUN_FINISHED with a null output in metadata (AG-UI refuses result: null) finishes with output null',
    from: running,
    events: [{ type: 'RUN_FINISHED', runId: 'r', threadId: 'r', outcome: { type: 'success' }, metadata: { result: null } }],
    expect: (s) => expect(s).toMatchObject({ status: 'finished', output: null }),
  },
  {
    name: 'RUN_FINISHED success sets the output',
    from: running,
    events: [{ type: 'RUN_FINISHED', runId: 'r', threadId: 'r', result: { ok: true }, outcome: { type: 'success' } }],
    expect: (s) => expect(s).toMatchObject({ status: 'finished', output: { ok: true } }),
  },
  {
    name: 'RUN_FINISHED (TanStack) reads output',
    from: running,
    events: [{ type: 'RUN_FINISHED', runId: 'r', threadId: 'r', output: { ok: 1 } }],
    expect: (s) => expect(s).toMatchObject({ status: 'finished', output: { ok: 1 } }),
  },
  {
    name: 'RUN_FINISHED with an interrupt outcome pauses, even without the CUSTOM event',
    from: running,
    events: [{ type: 'RUN_FINISHED', runId: 'r', threadId: 'r', outcome: { type: 'interrupt', interrupts: [
      { id: 'a2', reason: 'approval', message: 'Ship it?', metadata: { description: 'desc' } },
      { id: 'signal:go', reason: 'signal', metadata: { signalName: 'go' } },
    ] } }],
    expect: (s) => expect(s).toMatchObject({
      status: 'paused',
      pendingApproval: { approvalId: 'a2', title: 'Ship it?', description: 'desc' },
      pendingSignal: { signalName: 'go' },
    }),
  },
  {
    name: 'RUN_FINISHED without outcome after a pause announcement stays paused',
    from: { ...running, status: 'paused', pendingApproval: { approvalId: 'a', title: 't' } },
    events: [{ type: 'RUN_FINISHED', runId: 'r', threadId: 'r' }],
    expect: (s) => expect(s.status).toBe('paused'),
  },
  {
    name: 'RUN_ERROR fails the run and every step still running',
    from: withStep,
    events: [{ type: 'RUN_ERROR', message: 'agent crashed', code: 'step_failed', timestamp: 5000 }],
    expect: (s) => {
      expect(s).toMatchObject({ status: 'error', error: { code: 'step_failed', message: 'agent crashed' }, currentStep: null })
      expect(s.steps[0]).toMatchObject({ status: 'failed', finishedAt: 5000, error: { name: 'step_failed', message: 'agent crashed' } })
    },
  },
  {
    name: 'RUN_ERROR aborted sets status aborted',
    from: withStep,
    events: [{ type: 'RUN_ERROR', message: 'stopped', code: 'aborted' }],
    expect: (s) => expect(s.status).toBe('aborted'),
  },
  {
    name: 'unknown event types are ignored',
    from: withStep,
    events: [{ type: 'REASONING_START' }, { type: 'TOOL_CALL_START', toolCallId: 't', toolCallName: 'x' }, { type: 'toString' }, { type: '__proto__' }],
    expect: (s) => expect(s).toBe(withStep),
  },
  {
    name: 'events out of order (content before start, finish twice) do not throw',
    from: running,
    events: [
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'x', delta: 'a' },
      { type: 'STEP_FINISHED', stepName: 'never-started' },
      { type: 'STEP_STARTED', stepName: 's' },
      { type: 'STEP_FINISHED', stepName: 's' },
      { type: 'STEP_FINISHED', stepName: 's' },
      { type: 'TEXT_MESSAGE_END', messageId: 'x' },
    ],
    expect: (s) => expect(s.steps).toHaveLength(1),
  },
]

describe('reduceWorkflowEvent', () => {
  it.each(rows.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const frozen = structuredClone(row.from)
    row.expect(fold(row.events, row.from))
    // Pure: the input state is never mutated.
    expect(row.from).toEqual(frozen)
  })

  it('folds a whole recorded segment', () => {
    const state = fold(articleStartSegment())
    expect(state).toMatchObject({
      runId: 'run-1',
      status: 'paused',
      currentText: 'Hello brave world',
      state: { phase: 'review', drafts: ['Hello brave world'] },
      pendingApproval: { approvalId: 'a1', title: 'Publish?' },
    })
    expect(state.steps).toMatchObject([{ stepName: 'writer', status: 'finished', text: 'Hello brave world', startedAt: 1000, finishedAt: 2000 }])
  })

  it('throws a typed error for a failing delta and leaves state as it was', () => {
    const from = { ...running, state: { a: 1 } }
    expect(() => reduceWorkflowEvent(from, { type: 'STATE_DELTA', delta: [{ op: 'remove', path: '/missing' }] })).toThrow(
      expect.objectContaining({ code: 'state_patch_failed' }),
    )
    expect(from.state).toEqual({ a: 1 })
  })

  it('a delta without a base fails for a client that joined mid-run (attach from a cursor), so it rebuilds', () => {
    const joined = { ...initialWorkflowState(), runId: 'r', lastEventIndex: 6 }
    expect(() => reduceWorkflowEvent(joined, { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/count', value: 1 }] })).toThrow(
      expect.objectContaining({ code: 'state_patch_failed' }),
    )
  })
})
