/**
 * What the zod schemas at '@stepstream/protocol/schemas' accept and refuse,
 * written once and run under each zod major the peer range admits (zod 4,
 * and zod 3 through `zod/v3`, which is zod 3's own implementation), since the
 * same schema source behaves differently on each.
 */
import { describe, expect, it } from 'vitest'
import * as schemas from '@stepstream/protocol/schemas'

type Schema = { safeParse(value: unknown): { success: boolean } }

/** The value, for an assertion's message (a very deep one does not fit JSON.stringify's stack). */
const show = (value: unknown) => {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}
const accepts = (schema: Schema, value: unknown) => expect(schema.safeParse(value).success, show(value)).toBe(true)
const refuses = (schema: Schema, value: unknown) => expect(schema.safeParse(value).success, show(value)).toBe(false)

const event = schemas.workflowEventSchema

export function schemaContract(zod: string): void {
  describe(`the schemas with ${zod}`, () => {
    describe('required fields whose value may be anything', () => {
      it('accept them present, null included', () => {
        accepts(event, { type: 'CUSTOM', name: 'progress', value: null })
        accepts(event, { type: 'STATE_SNAPSHOT', snapshot: null })
        for (const op of ['add', 'replace', 'test']) accepts(event, { type: 'STATE_DELTA', delta: [{ op, path: '/a', value: null }] })
        accepts(schemas.startRequestSchema, { input: null })
      })

      it('refuse them missing', () => {
        refuses(event, { type: 'CUSTOM', name: 'progress' })
        refuses(event, { type: 'STATE_SNAPSHOT' })
        for (const op of ['add', 'replace', 'test']) {
          refuses(event, { type: 'STATE_DELTA', delta: [{ op, path: '/a' }] })
          refuses(schemas.jsonPatchOperationSchema, { op, path: '/a' })
        }
        refuses(schemas.startRequestSchema, {})
        refuses(schemas.startRequestSchema, { runId: 'run-1' })
      })
    })

    describe('integers', () => {
      const unsafe = [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, 2 ** 53]

      it('timestamp: integer milliseconds (PROTOCOL §2), nothing else', () => {
        accepts(event, { type: 'RUN_STARTED', threadId: 'r', runId: 'r', timestamp: 1_700_000_000_000 })
        for (const timestamp of unsafe) refuses(event, { type: 'RUN_STARTED', threadId: 'r', runId: 'r', timestamp })
        refuses(event, { type: 'RUN_STARTED', threadId: 'r', runId: 'r', timestamp: '1700000000000' })
      })

      it('startIndex: any integer, negative counting from the tail (PROTOCOL §4), nothing else', () => {
        for (const startIndex of [0, 7, -1, -20]) accepts(schemas.resumeRequestSchema, { runId: 'r', startIndex })
        for (const startIndex of unsafe) refuses(schemas.resumeRequestSchema, { runId: 'r', startIndex })
        refuses(schemas.resumeRequestSchema, { runId: 'r', startIndex: '3' })
      })
    })

    describe('RUN_FINISHED', () => {
      const finished = { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', outcome: { type: 'success' } }

      it('carries any output but null as result; a null output travels as metadata.result', () => {
        for (const result of [0, false, '', {}, [], { ok: true }]) accepts(event, { ...finished, result })
        accepts(event, { ...finished, metadata: { result: null } })
        // AG-UI 1.0 refuses `result: null`, and PROTOCOL's server output must validate there.
        refuses(event, { ...finished, result: null })
      })

      it('carries result only on success (PROTOCOL §2), never with an interrupt', () => {
        accepts(event, { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', result: 1 })
        const paused = { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', outcome: { type: 'interrupt', interrupts: [{ id: 'a1', reason: 'approval', message: 'Publish?' }] } }
        accepts(event, paused)
        refuses(event, { ...paused, result: { draft: 'x' } })
      })

      it("names a signal interrupt 'signal:<name>' after its metadata.signalName (PROTOCOL §2)", () => {
        const interrupted = (interrupt: object) => ({ type: 'RUN_FINISHED', threadId: 'r', runId: 'r', outcome: { type: 'interrupt', interrupts: [interrupt] } })
        accepts(event, interrupted({ id: 'signal:payment', reason: 'signal', metadata: { signalName: 'payment' } }))
        accepts(event, interrupted({ id: 'signal:a:b', reason: 'signal', metadata: { signalName: 'a:b', deadline: '2030-01-01T00:00:00.000Z', meta: 1 } }))
        for (const id of ['payment', 'signal:other', 'signal:', 'Signal:payment']) {
          refuses(event, interrupted({ id, reason: 'signal', metadata: { signalName: 'payment' } }))
        }
      })
    })

    describe('STATE_DELTA', () => {
      const delta = (op: object) => ({ type: 'STATE_DELTA', delta: [op] })

      it('takes all six RFC 6902 ops with JSON Pointer paths (RFC 6901)', () => {
        for (const path of ['', '/a', '/a/0', '/a/-', '/~0~1', '/a b/ü']) {
          for (const op of [{ op: 'add', path, value: 1 }, { op: 'remove', path }, { op: 'replace', path, value: 1 }, { op: 'test', path, value: 1 }, { op: 'move', path, from: '/x' }, { op: 'copy', path, from: '/x' }]) {
            accepts(event, delta(op))
            accepts(schemas.jsonPatchOperationSchema, op)
          }
        }
        accepts(event, { type: 'STATE_DELTA', delta: [] })
      })

      it('refuses a path or a from that is no JSON Pointer, as AG-UI 1.0 does', () => {
        for (const pointer of ['a', 'a/b', '/a~2', '/a~', '#/a']) {
          for (const op of [{ op: 'add', path: pointer, value: 1 }, { op: 'remove', path: pointer }, { op: 'move', path: '/x', from: pointer }, { op: 'copy', path: '/x', from: pointer }]) {
            refuses(event, delta(op))
            refuses(schemas.jsonPatchOperationSchema, op)
          }
        }
        refuses(event, delta({ op: 'merge', path: '/a', value: 1 }))
      })
    })

    describe('CUSTOM', () => {
      const custom = (name: string, value: unknown) => ({ type: 'CUSTOM', name, value })

      it('takes any value under a user name', () => {
        for (const value of [null, 0, 'x', [], { approvalId: 3 }]) accepts(event, custom('progress', value))
      })

      it('approval-requested: { approvalId, kind: workflow, title, description? } (PROTOCOL §2)', () => {
        accepts(event, custom('approval-requested', { approvalId: 'a1', kind: 'workflow', title: 'Publish?' }))
        accepts(event, custom('approval-requested', { approvalId: 'a1', kind: 'workflow', title: 'Publish?', description: 'About rivers' }))
        for (const value of [
          {},
          null,
          'a1',
          { kind: 'workflow', title: 'Publish?' },
          { approvalId: 'a1', title: 'Publish?' },
          { approvalId: 'a1', kind: 'tool', title: 'Publish?' },
          { approvalId: 'a1', kind: 'workflow' },
          { approvalId: 1, kind: 'workflow', title: 'Publish?' },
          { approvalId: 'a1', kind: 'workflow', title: 'Publish?', description: null },
        ]) {
          refuses(event, custom('approval-requested', value))
        }
      })

      it('run.paused: { signalName, deadline?, meta? } (PROTOCOL §2)', () => {
        accepts(event, custom('run.paused', { signalName: 'payment' }))
        accepts(event, custom('run.paused', { signalName: 'payment', deadline: '2030-01-01T00:00:00.000Z', meta: { amount: 3 } }))
        accepts(event, custom('run.paused', { signalName: 'payment', meta: null }))
        // Never sent for approvals, but a client must ignore it, so it is still a valid event.
        accepts(event, custom('run.paused', { signalName: '__approval' }))
        for (const value of [3, null, {}, { signalName: 5 }, { signalName: 'payment', deadline: 5 }]) refuses(event, custom('run.paused', value))
      })
    })

    describe("stepstream's metadata conventions (PROTOCOL §2)", () => {
      const stepStarted = (metadata: unknown) => ({ type: 'STEP_STARTED', stepName: 'writer', metadata })
      const stepFinished = (metadata: unknown) => ({ type: 'STEP_FINISHED', stepName: 'writer', metadata })
      const textStart = (metadata: unknown) => ({ type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', metadata })

      it('STEP_STARTED: { stepId, stepType } with stepType one of the five', () => {
        for (const stepType of ['agent', 'approval', 'nested-workflow', 'step', 'signal']) {
          accepts(event, stepStarted({ stepId: 's1', stepType }))
          accepts(schemas.stepStartedMetadataSchema, { stepId: 's1', stepType })
        }
        accepts(event, stepStarted({ stepId: 's1', stepType: 'agent', traceId: 't' }))
        for (const metadata of [{ stepId: 1, stepType: 'agent' }, { stepId: 's1', stepType: 'tool' }, { stepId: 's1', stepType: 3 }, { stepId: null, stepType: 'agent' }]) {
          refuses(event, stepStarted(metadata))
          refuses(schemas.stepStartedMetadataSchema, metadata)
        }
      })

      it('STEP_FINISHED: { stepId, result?, error?: { name, message } }', () => {
        for (const metadata of [{ stepId: 's1' }, { stepId: 's1', result: null }, { stepId: 's1', result: { draft: 'x' } }, { stepId: 's1', error: { name: 'Error', message: 'boom' } }]) {
          accepts(event, stepFinished(metadata))
          accepts(schemas.stepFinishedMetadataSchema, metadata)
        }
        for (const metadata of [{ stepId: 2 }, { stepId: 's1', error: 'boom' }, { stepId: 's1', error: { message: 'boom' } }, { stepId: 's1', error: { name: 'Error', message: 3 } }, { stepId: 's1', error: null }]) {
          refuses(event, stepFinished(metadata))
          refuses(schemas.stepFinishedMetadataSchema, metadata)
        }
      })

      it('TEXT_MESSAGE_START: { stepId }', () => {
        accepts(event, textStart({ stepId: 's1' }))
        refuses(event, textStart({ stepId: 1 }))
      })
    })

    describe('empty ids', () => {
      it('requests refuse an empty runId, approvalId, signalId or signal name', () => {
        refuses(schemas.startRequestSchema, { input: 1, runId: '' })
        refuses(schemas.approveRequestSchema, { runId: '', approval: { approvalId: 'a1', approved: true } })
        refuses(schemas.approveRequestSchema, { runId: 'r', approval: { approvalId: '', approved: true } })
        refuses(schemas.signalRequestSchema, { runId: 'r', signal: { signalId: '', name: 'payment' } })
        refuses(schemas.signalRequestSchema, { runId: 'r', signal: { signalId: 's1', name: '' } })
        refuses(schemas.resumeRequestSchema, { runId: '', startIndex: 0 })
        refuses(schemas.abortRequestSchema, { runId: '', abort: true })
      })

      it('events refuse an empty id a client has to send back in a request', () => {
        for (const type of ['RUN_STARTED', 'RUN_FINISHED']) {
          accepts(event, { type, threadId: 'r', runId: 'r' })
          refuses(event, { type, threadId: 'r', runId: '' })
          refuses(event, { type, threadId: '', runId: 'r' })
        }
        refuses(event, { type: 'CUSTOM', name: 'approval-requested', value: { approvalId: '', kind: 'workflow', title: 'Publish?' } })
        refuses(event, { type: 'CUSTOM', name: 'run.paused', value: { signalName: '' } })
        const interrupted = (interrupt: object) => ({ type: 'RUN_FINISHED', threadId: 'r', runId: 'r', outcome: { type: 'interrupt', interrupts: [interrupt] } })
        refuses(event, interrupted({ id: '', reason: 'approval', message: 'Publish?' }))
        refuses(event, interrupted({ id: 'signal:', reason: 'signal', metadata: { signalName: '' } }))
      })
    })

    describe('request bodies: exactly one action (PROTOCOL §4)', () => {
      const bodies = {
        input: [schemas.startRequestSchema, { input: { topic: 'rivers' }, runId: 'r' }],
        approval: [schemas.approveRequestSchema, { runId: 'r', approval: { approvalId: 'a1', approved: true, feedback: 'ok' } }],
        signal: [schemas.signalRequestSchema, { runId: 'r', signal: { signalId: 's1', name: 'payment', payload: { amount: 3 } } }],
        startIndex: [schemas.resumeRequestSchema, { runId: 'r', startIndex: 4 }],
        abort: [schemas.abortRequestSchema, { runId: 'r', abort: true }],
      } as const

      it('each schema accepts its own action', () => {
        for (const [schema, body] of Object.values(bodies)) accepts(schema, body)
        accepts(schemas.startRequestSchema, { input: 1 })
        accepts(schemas.signalRequestSchema, { runId: 'r', signal: { signalId: 's1', name: 'payment' } })
      })

      it("each schema refuses a body that also carries another action's key", () => {
        for (const [action, [schema, body]] of Object.entries(bodies)) {
          for (const [other, [, otherBody]] of Object.entries(bodies)) {
            if (other === action) continue
            refuses(schema, { ...body, [other]: (otherBody as Record<string, unknown>)[other] })
          }
        }
      })
    })

    describe('TOOL_CALL_RESULT', () => {
      const result = (content: unknown) => ({ type: 'TOOL_CALL_RESULT', messageId: 'm2', toolCallId: 't1', content })

      it("takes AG-UI 1.0's content: a string or content parts", () => {
        accepts(event, result('found'))
        accepts(event, result([{ type: 'text', text: 'found' }, { type: 'image', source: { type: 'url', value: 'https://example.com/a.png' } }]))
        for (const content of [[{ type: 'text' }], [{ type: 'image', source: { type: 'data', value: 'aGk=' } }], [{ type: 'text', text: 'x', metadata: null }], { type: 'text', text: 'x' }]) {
          refuses(event, result(content))
        }
      })
    })

    describe('hostile JSON', () => {
      it("a '__proto__' key in a parsed body neither fills a field nor reaches a prototype", () => {
        const start = schemas.startRequestSchema.safeParse(JSON.parse('{"input":{"a":1},"__proto__":{"runId":"evil","approval":{"approvalId":"a","approved":true}}}'))
        expect(start.success).toBe(true)
        const body = (start as { data: Record<string, unknown> }).data
        expect([body.runId, body.approval, Object.getPrototypeOf(body)]).toEqual([undefined, undefined, Object.prototype])

        const step = event.safeParse(JSON.parse('{"type":"STEP_STARTED","stepName":"w","metadata":{"__proto__":{"stepId":"evil","stepType":"tool"}}}'))
        if (step.success) {
          const { metadata } = (step as unknown as { data: { metadata: Record<string, unknown> } }).data
          expect([metadata.stepId, metadata.stepType, Object.getPrototypeOf(metadata)]).toEqual([undefined, undefined, Object.prototype])
        }
        // A title only under __proto__ is no title.
        refuses(event, JSON.parse('{"type":"CUSTOM","name":"approval-requested","value":{"approvalId":"a1","kind":"workflow","__proto__":{"title":"Publish?"}}}'))
        expect(({} as Record<string, unknown>).runId).toBeUndefined()
        expect(({} as Record<string, unknown>).stepId).toBeUndefined()
      })

      it('very deep nesting in a free-form field parses without blowing the stack', () => {
        const deep: Record<string, unknown> = {}
        let cursor = deep
        for (let depth = 0; depth < 100_000; depth++) cursor = (cursor.a = {}) as Record<string, unknown>
        accepts(event, { type: 'STATE_SNAPSHOT', snapshot: deep })
        accepts(event, { type: 'CUSTOM', name: 'progress', value: deep })
        accepts(event, { type: 'CUSTOM', name: 'run.paused', value: { signalName: 'payment', meta: deep } })
        accepts(event, { type: 'STEP_FINISHED', stepName: 'w', metadata: { stepId: 's1', result: deep } })
        accepts(event, { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/a', value: deep }] })
        accepts(schemas.startRequestSchema, { input: deep })
        accepts(schemas.signalRequestSchema, { runId: 'r', signal: { signalId: 's1', name: 'payment', payload: deep } })
      })
    })
  })
}
