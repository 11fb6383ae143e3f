// Client throughput against @ag-ui/client 1.0 on the same bytes: one SSE
// stream of a valid AG-UI run (text messages, state deltas), as our server
// writes it (`id:` + `data:` frames), in 16 KB network chunks.
//  - ours: WorkflowClient + fetchWorkflowEvents, bytes → WorkflowClientState;
//  - @ag-ui/client HttpAgent.runAgent: its whole pipeline (runHttpRequest →
//    transformHttpEventStream → verifyEvents → defaultApplyEvents), bytes →
//    agent.messages + agent.state;
//  - @ag-ui/client parse only: transformHttpEventStream(runHttpRequest(…)),
//    bytes → event objects (SSE split, JSON.parse, a check that each is an
//    object with a string type; no EventSchema validation, which verifyEvents
//    and enforceEvents do later in runAgent), no state.
import { HttpAgent, runHttpRequest, transformHttpEventStream } from '@ag-ui/client'
import { lastValueFrom, count } from 'rxjs'
import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import { chunksOf, fmt, interleavedMedianMs, responseOf, sseBytes } from './lib.mjs'

const MESSAGES = 200
const TOKENS_PER_MESSAGE = 49

function agUiRun() {
  const t = 1_700_000_000_000
  const events = [
    { type: 'RUN_STARTED', threadId: 'bench', runId: 'bench', timestamp: t },
    { type: 'STATE_SNAPSHOT', snapshot: { progress: 0, log: [] }, timestamp: t },
    { type: 'STEP_STARTED', stepName: 'writer', timestamp: t, metadata: { stepId: 's1', stepType: 'agent' } },
  ]
  for (let m = 0; m < MESSAGES; m++) {
    const messageId = `m${m}`
    events.push({ type: 'TEXT_MESSAGE_START', messageId, role: 'assistant', timestamp: t, metadata: { stepId: 's1' } })
    for (let i = 0; i < TOKENS_PER_MESSAGE; i++) events.push({ type: 'TEXT_MESSAGE_CONTENT', messageId, delta: ` tok${(m * 31 + i) % 97}`, timestamp: t })
    events.push({ type: 'TEXT_MESSAGE_END', messageId, timestamp: t })
    events.push({ type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/progress', value: m }, { op: 'add', path: '/log/-', value: `message ${m}` }], timestamp: t })
  }
  events.push(
    { type: 'STEP_FINISHED', stepName: 'writer', timestamp: t, metadata: { stepId: 's1', result: { ok: true } } },
    { type: 'RUN_FINISHED', threadId: 'bench', runId: 'bench', result: { done: true }, outcome: { type: 'success' }, timestamp: t },
  )
  return { events, bytes: sseBytes(events) }
}

async function ours(chunks, eventCount) {
  const client = new WorkflowClient({ connection: fetchWorkflowEvents('/bench', { fetchClient: async () => responseOf(chunks) }), reconnect: false })
  const state = await client.start({}, { runId: 'bench' })
  if (state.status !== 'finished' || state.lastEventIndex !== eventCount - 1) throw new Error(`ours ended ${state.status} at ${state.lastEventIndex}`)
  client.dispose()
  return state
}

async function httpAgent(chunks) {
  const agent = new HttpAgent({ url: 'http://bench.local/agui', threadId: 'bench', fetch: async () => responseOf(chunks) })
  const { result } = await agent.runAgent()
  if (!result?.done || agent.messages.length !== MESSAGES) throw new Error(`HttpAgent ended with ${agent.messages.length} messages`)
  return agent
}

async function agUiParseOnly(chunks, eventCount) {
  const parsed = await lastValueFrom(transformHttpEventStream(runHttpRequest(async () => responseOf(chunks))).pipe(count()))
  if (parsed !== eventCount) throw new Error(`parsed ${parsed} of ${eventCount}`)
}

export default async function agUiBench() {
  const { events, bytes } = agUiRun()
  const chunks = chunksOf(bytes)
  const mb = bytes.length / 1024 / 1024

  // Same answer from both clients, or the comparison means nothing.
  const state = await ours(chunks, events.length)
  const agent = await httpAgent(chunks)
  const sameText = state.steps[0].text === agent.messages.map((message) => message.content).join('')
  const sameState = JSON.stringify(state.state) === JSON.stringify(agent.state)

  // HttpAgent takes seconds per run: three rounds keep the bench short.
  const [oursMs, agentMs, parseMs] = await interleavedMedianMs([() => ours(chunks, events.length), () => httpAgent(chunks), () => agUiParseOnly(chunks, events.length)], 3)
  const rate = (ms) => `${fmt(ms)} ms (${fmt(mb / (ms / 1000))} MB/s, ${fmt(events.length / ms, 0)}k events/s)`
  return {
    title: 'Client throughput against @ag-ui/client 1.0 (same bytes)',
    rows: [
      { metric: `stream: ${events.length.toLocaleString('en')} events (${MESSAGES} messages × ${TOKENS_PER_MESSAGE} tokens + deltas), ${fmt(mb, 2)} MB`, value: sameText && sameState ? 'both clients end with the same text and state' : 'RESULTS DIFFER', target: 'same result', pass: sameText && sameState },
      { metric: 'WorkflowClient bytes→state', value: rate(oursMs), target: '—', pass: true },
      { metric: '@ag-ui/client HttpAgent.runAgent bytes→messages+state', value: rate(agentMs), target: '—', pass: true },
      { metric: 'WorkflowClient speed / HttpAgent speed', value: `${fmt(agentMs / oursMs, 1)}×`, target: '≥ 1×', pass: agentMs / oursMs >= 1 },
      { metric: '@ag-ui/client parse only (transformHttpEventStream: SSE split + JSON.parse + a type check, no schema validation), no state', value: rate(parseMs), target: '—', pass: true },
      { metric: 'WorkflowClient bytes→state time / AG-UI parse-only time', value: `${fmt(oursMs / parseMs, 2)}×`, target: '—', pass: true },
    ],
    notes: [
      '`@ag-ui/client` runs in plain Node here (no NODE_ENV=test / vitest, so its dev-only freezing of messages and state is off). Its HttpAgent clones the message list for every applied event, so its cost grows with the length of the conversation; ours folds a chunk\'s text deltas into one reducer step.',
    ],
  }
}
