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
import { eventText, type Json } from './support/json-arbitrary.js'
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

/** Own keys named __proto__, constructor or prototype, or a swapped prototype, anywhere in a value (PROTOCOL §5 refuses deltas that make them). */
function forbiddenKeysIn(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return []
  const prototype = Object.getPrototypeOf(value)
  const swapped = prototype === Object.prototype || prototype === Array.prototype ? [] : [`${path || '/'} has another prototype`]
  return [...swapped, ...Object.keys(value).flatMap((key) => [
    ...(['__proto__', 'constructor', 'prototype'].includes(key) ? [`${path}/${key}`] : []),
    ...forbiddenKeysIn((value as Record<string, unknown>)[key], `${path}/${key}`),
  ])]
}

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

  it('hostile state deltas over the wire: refused or applied, they never reach a prototype nor leave a forbidden key in the state', async () => {
    // The sequences above reach a prototype-bound path about once in hundreds of
    // runs, and most of those break on corruption first: with the client's guard
    // and fast-json-patch's ban both removed they still passed. Here every delta
    // aims at one, uncorrupted, so each run puts the guards to work.
    const hostilePath = fc.oneof(
      fc.constantFrom('/__proto__/polluted', '/a/__proto__/polluted', '/constructor/prototype/polluted', '/a/constructor/prototype/polluted', '/__proto__', '/constructor', '/prototype', '/a/constructor', '/a/prototype'),
      fc.constantFrom('/a', '/a/b', '/b'),
    )
    const hostileOperation = fc
      .record({ op: fc.constantFrom('add', 'replace', 'copy', 'move', 'remove'), path: hostilePath, from: hostilePath, value: fc.constantFrom<Json>(1, 'yes', { entries: [['polluted', true]] }, null) })
      .map(({ op, path, from, value }): Json => ({ entries: [['op', op], ['path', path], ...(op === 'copy' || op === 'move' ? ([['from', from]] as Array<[string, Json]>) : []), ...(op === 'remove' ? [] : ([['value', value]] as Array<[string, Json]>))] }))
    const deltas = fc.array(fc.array(hostileOperation, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 })
    const t = 1_700_000_000_000
    let applied = 0
    await fc.assert(
      fc.asyncProperty(deltas, fc.array(fc.nat(), { maxLength: 10 }), async (patches, cuts) => {
        const events = [
          eventText({ type: 'RUN_STARTED', threadId: 'r', runId: 'r', timestamp: t }),
          eventText({ type: 'STATE_SNAPSHOT', snapshot: { entries: [['a', { entries: [['b', 1]] }]] }, timestamp: t }),
          ...patches.map((delta) => eventText({ type: 'STATE_DELTA', delta, timestamp: t })),
          eventText({ type: 'RUN_FINISHED', threadId: 'r', runId: 'r', outcome: { entries: [['type', 'success']] }, timestamp: t }),
        ]
        const chunks = splitBytes(encoder.encode(sseText(events, { ids: true, crlf: false })), cuts)
        const client = new WorkflowClient({
          // The first answer is the run; a rebuild's replay gets it again.
          connection: fetchWorkflowEvents('http://127.0.0.1:9/api/workflow', { fetchClient: () => respond({ kind: 'stream', truncateAt: undefined, errorAtEnd: false }, chunks) }),
          reconnect: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 1 },
          onError: () => {},
        })
        const state = await client.start(null, { runId: 'r' })
        await settle()
        client.dispose()
        expectPrototypesUntouched()
        expect(escaped).toEqual([])
        expect(forbiddenKeysIn(state.state), JSON.stringify(state.state)).toEqual([])
        if (state.status === 'finished') applied++
      }),
      { numRuns: 300 },
    )
    // Some runs applied every delta (the harmless ones), so both paths were taken.
    expect(applied).toBeGreaterThan(0)
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
