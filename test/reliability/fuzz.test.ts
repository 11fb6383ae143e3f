/**
 * Fuzzing the client's bytes→state path (fetchWorkflowEvents over a
 * ReadableStream body): random valid event sequences with hostile payloads,
 * random chunking, random byte corruption and random failing answers. The
 * client never throws, never leaves a rejection unhandled, never stays
 * `running` once the streams ended and retries are spent, and never touches
 * Object.prototype.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient, type WorkflowError } from '@stepstream/client'
import { eventSequence, sseText } from './support/event-sequence-arbitrary.js'
import { splitBytes } from '../fixtures/split-bytes.js'

const encoder = new TextEncoder()

type Mutation = { at: number; kind: 'flip' | 'insert' | 'delete'; byte: number }

/** Byte-level damage: flipped, inserted and deleted bytes (positions wrap around the length). */
function corrupt(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const out = Array.from(bytes)
  for (const { at, kind, byte } of mutations) {
    if (out.length === 0) break
    const position = at % out.length
    if (kind === 'flip') out[position] = out[position]! ^ (byte || 1)
    else if (kind === 'insert') out.splice(position, 0, byte)
    else out.splice(position, 1)
  }
  return Uint8Array.from(out)
}


/** What one request gets: the (damaged) stream, ending cleanly or with an error, or a failing answer. */
type Answer = { kind: 'stream'; truncateAt: number | undefined; errorAtEnd: boolean } | { kind: 'status'; status: number } | { kind: 'network-error' }

function respond(answer: Answer, chunks: readonly Uint8Array[]): Promise<Response> {
  if (answer.kind === 'network-error') return Promise.reject(new TypeError('fetch failed'))
  if (answer.kind === 'status') {
    const body = answer.status === 502 ? '<html>bad gateway</html>' : JSON.stringify({ error: { code: 'nope', message: 'no' } })
    return Promise.resolve(new Response(body, { status: answer.status }))
  }
  const kept = answer.truncateAt === undefined ? chunks : chunks.slice(0, answer.truncateAt % (chunks.length + 1))
  let position = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (position < kept.length) controller.enqueue(kept[position++]!)
      else if (answer.errorAtEnd) controller.error(new TypeError('terminated'))
      else controller.close()
    },
  })
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }))
}

const answer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('stream' as const), truncateAt: fc.option(fc.nat(), { nil: undefined }), errorAtEnd: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(400, 404, 409, 500, 502, 503) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('network-error' as const) }) },
)

const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) })

const prototypeKeys = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  function: Object.getOwnPropertyNames(Function.prototype).sort(),
})

const escaped: unknown[] = []
const onEscape = (reason: unknown) => void escaped.push(reason)
let pristine: ReturnType<typeof prototypeKeys>

beforeAll(() => {
  pristine = prototypeKeys()
  process.on('unhandledRejection', onEscape)
  process.on('uncaughtException', onEscape)
})
afterAll(() => {
  process.off('unhandledRejection', onEscape)
  process.off('uncaughtException', onEscape)
})

/** Lets late rejections and callbacks of a finished run surface before checking. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

function expectPrototypesUntouched(): void {
  expect(prototypeKeys()).toEqual(pristine)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
}

describe('fuzzing fetchWorkflowEvents → WorkflowClient', () => {
  it('random sequences, chunking, corruption and failing answers: always settles, nothing escapes', async () => {
    let endedInError = 0
    let endedClean = 0
    await fc.assert(
      fc.asyncProperty(
        eventSequence,
        fc.record({ ids: fc.boolean(), crlf: fc.boolean(), retryMs: fc.option(fc.nat({ max: 5 }), { nil: undefined }) }),
        fc.array(mutation, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(answer, { minLength: 1, maxLength: 4 }),
        async (events, format, mutations, cuts, answers) => {
          const bytes = corrupt(encoder.encode(sseText(events, format)), mutations)
          const chunks = splitBytes(bytes, cuts)
          let requests = 0
          const errors: WorkflowError[] = []
          const client = new WorkflowClient({
            connection: fetchWorkflowEvents('http://127.0.0.1:9/api/workflow', {
              // After its scripted answers the server has nothing more: an empty stream.
              fetchClient: () => respond(answers[requests++] ?? { kind: 'stream', truncateAt: 0, errorAtEnd: false }, chunks),
            }),
            reconnect: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 1 },
            onError: (error) => void errors.push(error),
          })
          const state = await client.start({ topic: 'fuzz' }, { runId: 'r' })
          await settle()
          // Every connection came to an end: a terminal or pause, or an error once retries ran out.
          expect(['paused', 'finished', 'error', 'aborted']).toContain(state.status)
          expect(state.connection).toBe('closed')
          expect(client.state.status).not.toBe('running')
          if (state.status === 'error') {
            expect(state.error?.code).toEqual(expect.any(String))
            endedInError++
          } else endedClean++
          // Bounded: the scripted answers, then at most maxAttempts empty ones, twice (one replay from 0 after a failed delta).
          expect(requests).toBeLessThanOrEqual(answers.length + 2 * (1 + 2))
          client.dispose()
          expectPrototypesUntouched()
          expect(escaped).toEqual([])
        },
      ),
      // A hung client fails its run instead of the whole test timing out.
      { numRuns: 600, timeout: 5000 },
    )
    // Both outcomes were exercised, so the property says something about each.
    expect(endedInError).toBeGreaterThan(20)
    expect(endedClean).toBeGreaterThan(20)
  })

  it('the prototype check sees pollution (so the property above can fail)', () => {
    const target = {} as Record<string, unknown>
    const proto = Object.getPrototypeOf(target) as Record<string, unknown>
    proto.polluted = true
    try {
      expect(() => expectPrototypesUntouched()).toThrow()
    } finally {
      delete proto.polluted
    }
    expectPrototypesUntouched()
  })
})
