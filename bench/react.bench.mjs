// React render counts while 10,000 tokens stream (issue 7): one component
// that reads only `status`, a sibling that reads `currentText`, with and
// without `throttleMs`. react-dom renders into a jsdom document in this
// process; tokens arrive one network chunk each, paced by timers, as they
// would from a model.
import { JSDOM } from 'jsdom'
import { performance } from 'node:perf_hooks'
import { setTimeout as delay } from 'node:timers/promises'
import { fmt } from './lib.mjs'

const TOKENS = 10_000
const TOKENS_PER_TICK = 10

function installDom() {
  const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>', { pretendToBeVisual: true })
  const saved = {}
  for (const name of ['window', 'document', 'navigator', 'HTMLElement', 'Node']) {
    saved[name] = Object.getOwnPropertyDescriptor(globalThis, name)
    Object.defineProperty(globalThis, name, { value: name === 'window' ? dom.window : dom.window[name], configurable: true, writable: true })
  }
  return () => {
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else delete globalThis[name]
    }
    dom.window.close()
  }
}

const encoder = new TextEncoder()
const frame = (event, id) => encoder.encode(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`)

/** A run of TOKENS text deltas, each its own chunk, TOKENS_PER_TICK per timer tick. */
function tokenStream() {
  const t = 1_700_000_000_000
  let id = 0
  const head = [
    { type: 'RUN_STARTED', threadId: 'r', runId: 'r', timestamp: t },
    { type: 'STATE_SNAPSHOT', snapshot: {}, timestamp: t },
    { type: 'STEP_STARTED', stepName: 'writer', timestamp: t, metadata: { stepId: 's1', stepType: 'agent' } },
    { type: 'TEXT_MESSAGE_START', messageId: 'm1', role: 'assistant', timestamp: t, metadata: { stepId: 's1' } },
  ].map((event) => frame(event, id++))
  const tail = [
    { type: 'TEXT_MESSAGE_END', messageId: 'm1', timestamp: t },
    { type: 'STEP_FINISHED', stepName: 'writer', timestamp: t, metadata: { stepId: 's1' } },
    { type: 'RUN_FINISHED', threadId: 'r', runId: 'r', result: {}, outcome: { type: 'success' }, timestamp: t },
  ]
  let sent = 0
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk)
    },
    async pull(controller) {
      if (sent === TOKENS) {
        tail.forEach((event) => controller.enqueue(frame(event, id++)))
        controller.close()
        return
      }
      if (sent % TOKENS_PER_TICK === 0) await delay(1)
      controller.enqueue(frame({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'x', timestamp: t }, id++))
      sent++
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

async function measure(throttleMs) {
  const [{ createElement, Fragment }, { createRoot }, { flushSync }, { useWorkflow, WorkflowClient, fetchWorkflowEvents }] = await Promise.all([
    import('react'),
    import('react-dom/client'),
    import('react-dom'),
    import('@stepstream/react'),
  ])
  const counts = { status: 0, text: 0, published: 0 }
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('/bench', { fetchClient: async () => tokenStream() }),
    throttleMs,
    onStateChange: () => void counts.published++,
  })
  function Status() {
    const { status } = useWorkflow({ client })
    counts.status++
    return createElement('p', null, status)
  }
  function Text() {
    const { currentText } = useWorkflow({ client })
    counts.text++
    return createElement('p', null, currentText.length)
  }
  const root = createRoot(document.getElementById('root'))
  flushSync(() => root.render(createElement(Fragment, null, createElement(Status), createElement(Text))))
  // Count what streaming causes, not the first render.
  counts.status = counts.text = 0
  const start = performance.now()
  const state = await client.start({}, { runId: 'r' })
  await delay(50)
  const ms = performance.now() - start
  const shown = document.getElementById('root').textContent
  root.unmount()
  client.dispose()
  // React's scheduler may still hold a task (passive effects): let it run while the DOM exists.
  await delay(50)
  if (state.currentText.length !== TOKENS || shown !== `finished${TOKENS}`) throw new Error(`ended ${state.status} showing ${shown}`)
  return { ...counts, ms }
}

export default async function reactBench() {
  const uninstall = installDom()
  try {
    const plain = await measure(0)
    const throttled = await measure(50)
    return {
      title: `React render counts while ${TOKENS.toLocaleString('en')} tokens stream`,
      rows: [
        { metric: 'throttleMs 0: states published', value: plain.published.toLocaleString('en'), target: '—', pass: true },
        { metric: 'throttleMs 0: renders of a component reading only status', value: String(plain.status), target: '≤ 2 (running, finished)', pass: plain.status <= 2 },
        { metric: 'throttleMs 0: renders of a component reading currentText', value: plain.text.toLocaleString('en'), target: `≤ ${TOKENS.toLocaleString('en')}`, pass: plain.text <= TOKENS },
        { metric: 'throttleMs 50: states published', value: throttled.published.toLocaleString('en'), target: '—', pass: true },
        { metric: 'throttleMs 50: renders of a component reading only status', value: String(throttled.status), target: '≤ 2', pass: throttled.status <= 2 },
        { metric: `throttleMs 50: renders of a component reading currentText (stream took ${fmt(throttled.ms / 1000, 2)} s)`, value: throttled.text.toLocaleString('en'), target: `≤ ${fmt(throttled.ms / 50 + 2, 0)} (one per 50 ms + 2)`, pass: throttled.text <= throttled.ms / 50 + 2 },
      ],
      notes: [
        `react-dom ${(await import('react-dom')).version} createRoot in jsdom; the client is a WorkflowClient shared through \`useWorkflow({ client })\`; tokens arrive ${TOKENS_PER_TICK} per 1 ms timer tick, one network chunk each, so React sees them as separate tasks (the worst case for renders).`,
      ],
    }
  } finally {
    uninstall()
  }
}
