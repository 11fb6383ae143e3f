// Client benchmarks (issue 2): bytes→state throughput against the floor and
// state-delta cost growth with state size. The client's shipped size is
// measured once, with every package's, in size.bench.mjs.
import { applyStatePatch, fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import { chunksOf, fmt, pairedMedianMs, responseOf, sseBytes } from './lib.mjs'

const EVENT_COUNT = 100_000

function syntheticStream() {
  const events = [
    { type: 'RUN_STARTED', runId: 'bench', threadId: 'bench', timestamp: 1 },
    { type: 'STATE_SNAPSHOT', snapshot: { progress: 0, notes: [] }, timestamp: 1 },
    { type: 'STEP_STARTED', stepName: 'writer', timestamp: 1, metadata: { stepId: 's1', stepType: 'agent' } },
    { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', timestamp: 1, metadata: { stepId: 's1' } },
  ]
  while (events.length < EVENT_COUNT - 3) {
    const n = events.length
    events.push(
      n % 50 === 0
        ? { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/progress', value: n }], timestamp: 1 }
        : { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: `tok${n % 97} `, timestamp: 1 },
    )
  }
  events.push(
    { type: 'TEXT_MESSAGE_END', messageId: 'm1', timestamp: 1 },
    { type: 'STEP_FINISHED', stepName: 'writer', timestamp: 1, metadata: { stepId: 's1' } },
    { type: 'RUN_FINISHED', runId: 'bench', threadId: 'bench', result: { ok: true }, outcome: { type: 'success' }, timestamp: 1 },
  )
  const text = events.flatMap((event) => (event.type === 'TEXT_MESSAGE_CONTENT' ? [event.delta] : [])).join('')
  const progress = events.findLast((event) => event.type === 'STATE_DELTA').delta[0].value
  return { events, bytes: sseBytes(events), expected: { text, state: { progress, notes: [] } } }
}

/** What no client can beat: decode, split frames, JSON.parse each one (every one: the count is checked). */
async function floor(chunks) {
  const decoder = new TextDecoder()
  const reader = responseOf(chunks).body.getReader()
  let buffer = ''
  let count = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = frame.slice(frame.indexOf('data: ') + 6)
      JSON.parse(data)
      count++
    }
  }
  if (count !== EVENT_COUNT) throw new Error(`floor parsed ${count} of ${EVENT_COUNT} frames`)
  return count
}

/** The client's whole path, and its answer checked: the text and state the stream makes, not only where it ended. */
async function client(chunks, expected) {
  const workflow = new WorkflowClient({
    connection: fetchWorkflowEvents('/bench', { fetchClient: async () => responseOf(chunks) }),
    reconnect: false,
  })
  const state = await workflow.start({}, { runId: 'bench' })
  if (state.status !== 'finished' || state.lastEventIndex !== EVENT_COUNT - 1) throw new Error(`client ended in ${state.status} at ${state.lastEventIndex}`)
  if (state.steps[0]?.text !== expected.text || JSON.stringify(state.state) !== JSON.stringify(expected.state)) throw new Error('client ended with another text or state than the stream holds')
  workflow.dispose()
}

/**
 * A workflow state of about `bytes` of JSON: a few scalars and a log the
 * deltas touch, and the bulk in sections of 64 items that they do not. The
 * number of sections grows with the size, as a real state grows by adding
 * entries, not by widening one array.
 */
function stateOfSize(bytes) {
  const item = { id: 'x', title: 'Lorem ipsum dolor sit amet', tags: ['a', 'b', 'c'], score: 0.5 }
  const perSection = 64 * (JSON.stringify(item).length + 10)
  const sections = Array.from({ length: Math.max(2, Math.round(bytes / perSection)) }, (_, s) => ({
    id: `section-${s}`,
    items: Array.from({ length: 64 }, (_, i) => ({ ...item, id: `item-${s}-${i}` })),
  }))
  return { progress: 0, status: 'running', log: [], sections }
}

/** 1,000 deltas like a workflow emits: a counter, an appended log line, one nested field. */
function deltaCost(state) {
  return () => {
    let current = state
    for (let i = 0; i < 1000; i++) {
      current = applyStatePatch(current, [
        { op: 'replace', path: '/progress', value: i },
        { op: 'add', path: '/log/-', value: `step ${i}` },
        { op: 'replace', path: '/sections/1/items/3/score', value: i },
      ])
    }
    return current
  }
}

export default async function clientBench() {
  const { bytes, expected } = syntheticStream()
  const chunks = chunksOf(bytes)
  const [floorMs, clientMs] = await pairedMedianMs(() => floor(chunks), () => client(chunks, expected))
  const mb = bytes.length / 1024 / 1024
  const ratio = floorMs / clientMs

  const small = stateOfSize(10 * 1024)
  const large = stateOfSize(1024 * 1024)
  const sizes = [small, large].map((state) => `${fmt(JSON.stringify(state).length / 1024, 0)} KB`)
  const [smallMs, largeMs] = await pairedMedianMs(deltaCost(small), deltaCost(large), 9)
  const growth = largeMs / smallMs

  return {
    title: 'Client: throughput, delta cost',
    rows: [
      { metric: `floor (split frames + JSON.parse), ${EVENT_COUNT.toLocaleString('en')} events, ${fmt(mb)} MB`, value: `${fmt(floorMs)} ms (${fmt(mb / (floorMs / 1000))} MB/s)`, target: '—', pass: true },
      { metric: 'WorkflowClient bytes→state, same stream', value: `${fmt(clientMs)} ms (${fmt(mb / (clientMs / 1000))} MB/s)`, target: '—', pass: true },
      { metric: 'client throughput / floor', value: `${fmt(ratio * 100, 0)} %`, target: '≥ 50 %', pass: ratio >= 0.5 },
      { metric: `1,000 deltas on a ~10 KB state (${sizes[0]})`, value: `${fmt(smallMs, 2)} ms`, target: '—', pass: true },
      { metric: `1,000 deltas on a ~1 MB state (${sizes[1]})`, value: `${fmt(largeMs, 2)} ms`, target: '—', pass: true },
      { metric: 'delta cost growth 10 KB → 1 MB', value: `${fmt(growth, 2)}×`, target: '≤ 1.5×', pass: growth <= 1.5 },
    ],
    notes: ['The size of `WorkflowClient + fetchWorkflowEvents` with its dependencies (≤ 10 KB min+gz) is in the size budget section below.'],
  }
}
