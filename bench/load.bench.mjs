// Load (issue 7): 500 concurrent SSE clients, each running a ~200-event
// workflow against one server process. Every client must apply every event
// of its run exactly once; the server's memory is probed while the runs
// stream, once they are done, and after the store's TTL released them.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import { fmt } from './lib.mjs'

const CLIENTS = 500
const TTL_MS = 2000
const WORDS_PER_STEP = 62
const STEPS = ['research', 'draft', 'polish']
const MB = 1024 * 1024
/** What each step streams (load-server.mjs's mock agents): checked against every client's text, so a lost or doubled token shows. */
const WORDS = Array.from({ length: WORDS_PER_STEP }, (_, i) => `w${i}`).join(' ')

function startServer() {
  const child = fork(fileURLToPath(new URL('./load-server.mjs', import.meta.url)), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, LOAD_TTL_MS: String(TTL_MS), LOAD_WORDS_PER_STEP: String(WORDS_PER_STEP) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const probes = []
  child.on('message', (message) => {
    if (message.type === 'probe') probes.shift()?.(message)
  })
  const probe = (kind = 'probe') =>
    new Promise((resolve) => {
      probes.push(resolve)
      child.send(kind)
    })
  return { child, probe }
}

/** One client's run: every index onEvent saw, and the final state (its text checked by checkRun). */
async function runClient(url) {
  const indices = []
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents(url),
    onEvent: (_event, index) => void indices.push(index),
  })
  const state = await client.start({})
  client.dispose()
  return { state, indices }
}

/**
 * Indices say which events arrived; onEvent hears each index once by
 * design, so only the content can show an event applied twice (or a token
 * lost inside a folded chunk): every step's text must be exactly the words
 * its agent streamed, and the state and output what the workflow made.
 */
function checkRun({ state, indices }, eventsPerRun) {
  const unique = new Set(indices)
  const duplicated = indices.length - unique.size
  let lost = 0
  for (let i = 0; i < eventsPerRun; i++) if (!unique.has(i)) lost++
  const texts = state.steps.map((step) => [step.stepName, step.text])
  const sameContent =
    JSON.stringify(texts) === JSON.stringify(STEPS.map((name) => [name, WORDS])) &&
    JSON.stringify(state.state) === JSON.stringify({ done: STEPS }) &&
    state.output?.steps === STEPS.length
  return { lost, duplicated, finished: state.status === 'finished', sameContent }
}

export default async function loadBench() {
  const { child, probe } = startServer()
  // A server that fails to start exits instead of answering: fail, do not hang.
  const ready = await Promise.race([
    once(child, 'message').then(([message]) => message),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`load server exited with ${code}`))),
  ])
  const url = `http://127.0.0.1:${ready.port}/api/workflow`
  try {
    // Warm-up: one run, so the first figures are not JIT and connection set-up.
    const warmUp = await runClient(url)
    const eventsPerRun = warmUp.state.lastEventIndex + 1
    // The figures below count against the warm-up run: it must be right itself.
    if (!checkRun(warmUp, eventsPerRun).sameContent) throw new Error(`warm-up run ended with unexpected content: ${JSON.stringify(warmUp.state.steps.map((step) => step.text))}`)
    const baseline = await probe('gc')

    let peakRss = 0
    let peakHeap = 0
    let peakReaders = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        const sample = await probe()
        peakRss = Math.max(peakRss, sample.rss)
        peakHeap = Math.max(peakHeap, sample.heapUsed)
        peakReaders = Math.max(peakReaders, sample.subscribers)
        await delay(50)
      }
    })()

    const cpuBefore = (await probe()).cpuMs
    const clientCpuBefore = process.cpuUsage()
    const start = performance.now()
    const results = await Promise.all(Array.from({ length: CLIENTS }, () => runClient(url)))
    const elapsedMs = performance.now() - start
    const cpuAfter = (await probe()).cpuMs
    const clientCpu = process.cpuUsage(clientCpuBefore)
    sampling = false
    await sampler

    const done = await probe('gc')
    await delay(TTL_MS + 500)
    const released = await probe('gc')

    const checks = results.map((result) => checkRun(result, eventsPerRun))
    const lost = checks.reduce((sum, check) => sum + check.lost, 0)
    const duplicated = checks.reduce((sum, check) => sum + check.duplicated, 0)
    const finished = checks.filter((check) => check.finished).length
    const wrongContent = checks.filter((check) => !check.sameContent).length
    const totalEvents = results.reduce((sum, result) => sum + result.indices.length, 0)
    const heapGrowth = (released.heapUsed - baseline.heapUsed) / MB

    return {
      title: `Load: ${CLIENTS} concurrent SSE clients, one server process`,
      rows: [
        { metric: 'clients finished', value: `${finished} / ${CLIENTS}`, target: `${CLIENTS}`, pass: finished === CLIENTS },
        { metric: `events applied (${eventsPerRun} per run)`, value: totalEvents.toLocaleString('en'), target: (CLIENTS * eventsPerRun).toLocaleString('en'), pass: totalEvents === CLIENTS * eventsPerRun },
        { metric: 'lost events', value: String(lost), target: '0', pass: lost === 0 },
        { metric: 'duplicated events (an index onEvent heard twice)', value: String(duplicated), target: '0', pass: duplicated === 0 },
        { metric: `runs whose step texts are not exactly the ${STEPS.length} × ${WORDS_PER_STEP} words streamed (a token lost or doubled), or whose state or output is wrong`, value: String(wrongContent), target: '0', pass: wrongContent === 0 },
        { metric: 'time to complete all runs', value: `${fmt(elapsedMs / 1000, 2)} s (${fmt(totalEvents / (elapsedMs / 1000), 0)} events/s)`, target: '—', pass: true },
        { metric: 'server RSS / heap before (after warm-up, GC)', value: `${fmt(baseline.rss / MB)} MB / ${fmt(baseline.heapUsed / MB)} MB`, target: '—', pass: true },
        { metric: 'server process CPU time / wall time while the runs streamed', value: `${fmt(((cpuAfter - cpuBefore) / elapsedMs) * 100, 0)} %`, target: '—', pass: true },
        { metric: 'client process (500 clients) CPU time / wall time', value: `${fmt(((clientCpu.user + clientCpu.system) / 1000 / elapsedMs) * 100, 0)} %`, target: '—', pass: true },
        { metric: 'most responses streaming at once (server log readers)', value: String(peakReaders), target: '—', pass: true },
        { metric: 'server RSS / heap peak while streaming', value: `${fmt(peakRss / MB)} MB / ${fmt(peakHeap / MB)} MB`, target: '—', pass: true },
        { metric: 'server after the runs ended (GC): runs held, RSS / heap', value: `${done.runs} runs, ${fmt(done.rss / MB)} MB / ${fmt(done.heapUsed / MB)} MB`, target: '—', pass: true },
        { metric: `server after the TTL (${TTL_MS} ms, GC): runs, events, subscribers`, value: `${released.runs}, ${released.events}, ${released.subscribers}`, target: '0, 0, 0', pass: released.runs === 0 && released.events === 0 && released.subscribers === 0 },
        { metric: 'server heap after the TTL − before', value: `${fmt(heapGrowth)} MB (RSS ${fmt(released.rss / MB)} MB)`, target: '≤ 5 MB', pass: heapGrowth <= 5 },
      ],
      notes: [
        `Each run: ${STEPS.length} mock-agent steps of ${WORDS_PER_STEP} words at 2 ms per word, a state delta after each step (${eventsPerRun} events). Clients are WorkflowClient + fetchWorkflowEvents on Node's global fetch, all started at once; the server is \`bench/load-server.mjs\` in a child process (\`--expose-gc\`), probed over IPC every 50 ms. The runs ask for far more than one process can serve (500 × 500 tokens/s), so the time to complete is the server's throughput; the two CPU rows say which process was busy (100 % = one core), and both well under 100 % means the machine was busy with other work.`,
      ],
    }
  } finally {
    child.send('exit')
    await once(child, 'exit')
  }
}
