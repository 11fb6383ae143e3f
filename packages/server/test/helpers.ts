import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { createParser } from 'eventsource-parser'
import { approve, defineAgent, defineWorkflow, type RunRecord, type RunStore, type WorkflowHandler } from '@stepstream/server'

export const URL_BASE = 'http://test.local/api/workflow'

export interface SseResult {
  status: number
  headers: Headers
  events: IndexedEvent[]
  comments: string[]
}

/** Reads a whole SSE response with a real SSE parser. */
export async function readSse(response: Response): Promise<SseResult> {
  const events: IndexedEvent[] = []
  const comments: string[] = []
  const parser = createParser({
    onEvent: (message) => events.push({ index: Number(message.id), event: JSON.parse(message.data) as WorkflowEvent }),
    onComment: (comment) => comments.push(comment),
  })
  const decoder = new TextDecoder()
  const reader = response.body?.getReader()
  for (;;) {
    if (!reader) break
    const { done, value } = await reader.read()
    if (done) break
    parser.feed(decoder.decode(value, { stream: true }))
  }
  return { status: response.status, headers: response.headers, events, comments }
}

export function postRequest(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(URL_BASE, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export function getRequest(query: Record<string, string | number>, headers: Record<string, string> = {}): Request {
  const url = new URL(URL_BASE)
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value))
  return new Request(url, { headers })
}

export async function post(handler: WorkflowHandler, body: unknown, headers?: Record<string, string>): Promise<SseResult> {
  return readSse(await handler(postRequest(body, headers)))
}

export async function get(handler: WorkflowHandler, query: Record<string, string | number>, headers?: Record<string, string>) {
  return readSse(await handler(getRequest(query, headers)))
}

export async function readLog(store: RunStore, runId: string): Promise<IndexedEvent[]> {
  return store.read(runId, 0)
}

export function types(events: IndexedEvent[]): string[] {
  return events.map(({ event }) => (event.type === 'CUSTOM' ? `CUSTOM:${event.name}` : event.type))
}

export function runIdOf(result: SseResult): string {
  const runId = result.headers.get('x-workflow-run-id')
  if (!runId) throw new Error('response has no run id')
  return runId
}

/** Waits (bounded) until the run's record reaches a status. */
export async function waitForStatus(store: RunStore, runId: string, status: string): Promise<void> {
  await waitUntil(async () => (await store.getRun(runId))?.status === status, `run ${runId} to reach ${status}`)
}

/**
 * Polls a condition, yielding to the event loop with setImmediate between
 * tries (which the fake timers these tests install leave alone), so it works
 * under both clocks. It gives up after `attempts` tries, but not before
 * `minMs` of real time (`process.uptime`, which no fake timer touches):
 * many conditions wait on a real timer (a lease renewal), and on a loaded
 * machine that timer can fire after any fixed number of tries has run out.
 * `minMs` stays under vitest's 5 s test timeout, so a condition that never
 * holds still fails with its own name.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, attempts = 20_000, minMs = 3_000): Promise<void> {
  const startedAt = process.uptime()
  for (let attempt = 1; ; attempt += 1) {
    if (await condition()) return
    if (attempt >= attempts && (process.uptime() - startedAt) * 1000 >= minMs) break
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`gave up waiting for ${what}`)
}

/** A promise with its resolver, to hold an agent mid-step. */
export function gate<T = void>() {
  let open: (value: T) => void = () => {}
  const opened = new Promise<T>((resolve) => {
    open = resolve
  })
  return { open, opened }
}

/**
 * A one-step workflow whose agent waits at a gate, so a test decides when the
 * run may finish (and can watch it running in between).
 */
export function heldWorkflow(name: string) {
  const hold = gate()
  const held = defineAgent({
    name: 'held',
    run: async () => {
      await hold.opened
      return 'released'
    },
  })
  const workflow = defineWorkflow({
    name,
    agents: { held },
    run: async function* ({ agents }) {
      return yield* agents.held()
    },
  })
  return { workflow, release: () => hold.open() }
}

/** The same store as seen by "another process": a distinct object, hence a distinct engine and lease owner. */
export function processView(store: RunStore): RunStore {
  return Object.create(store) as RunStore
}

/** The same store as another process sees it, its journal coming back as JSON, as from a store kept outside the process. */
export function jsonJournal(store: RunStore): RunStore {
  const view = processView(store)
  view.readSteps = async (runId) => JSON.parse(JSON.stringify(await store.readSteps(runId))) as Awaited<ReturnType<RunStore['readSteps']>>
  return view
}

/** One agent step that waits for `hold.open()`, then the run ends, or asks for an approval (`thenAsk`). */
export function heldUpFlow(name: string, thenAsk: boolean) {
  const hold = gate()
  const slow = defineAgent({ name: 'slow', run: () => hold.opened })
  const workflow = defineWorkflow({
    name,
    agents: { slow },
    run: async function* ({ agents }) {
      const output = yield* agents.slow()
      return thenAsk ? yield* approve({ title: 'Go on?' }) : output
    },
  })
  return { workflow, hold }
}

export function approvalIdOf(result: SseResult): string {
  const requested = result.events.find(({ event }) => event.type === 'CUSTOM' && event.name === 'approval-requested')
  if (!requested || requested.event.type !== 'CUSTOM') throw new Error('no approval-requested event')
  return (requested.event.value as { approvalId: string }).approvalId
}

export function eventsOfType<TType extends WorkflowEvent['type']>(events: IndexedEvent[], type: TType) {
  return events.map(({ event }) => event).filter((event): event is Extract<WorkflowEvent, { type: TType }> => event.type === type)
}

export { listen } from '../../../test/fixtures/http-server.js'

/** A run record as a store holds it (running, one segment), for tests that set a store up by hand. */
export function runRecord(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return { runId, workflow: 'w', status: 'running', inputFingerprint: 'x', applied: [], segmentStarts: [0], createdAt: 0, updatedAt: 0, ...overrides }
}
