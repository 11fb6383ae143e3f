import '@stepstream/playground-shared/styles.css'
import { WorkflowClient } from '@stepstream/client'
import {
  acceptedRunId,
  connectionAnnouncer,
  copy,
  flakySwitch,
  followAgainForFlakySwitch,
  followSleepDeadline,
  followSleepSteps,
  forgetGoneRun,
  keepFocusOnTheRun,
  noSleepSteps,
  playgroundConnection,
  readUrlState,
  refreshServerFlakyMode,
  runAnnouncement,
  runNotice,
  rememberRun,
  sleepingUntil,
  testIds,
  watchServerFlakyMode,
  writeUrlState,
  type ArticleInput,
  type ArticleOutput,
  type DemoState,
  type ServerFlakyMode,
} from '@stepstream/playground-shared'
import { h } from './h.js'
import { approvalCard } from './views/approval-card.js'
import { banners } from './views/banners.js'
import { outputPanel } from './views/output-panel.js'
import { runForm } from './views/run-form.js'
import { signalCard } from './views/signal-card.js'
import { sleepCard } from './views/sleep-card.js'
import { stateInspector } from './views/state-inspector.js'
import { statusBar } from './views/status-bar.js'
import { streamingText } from './views/streaming-text.js'
import { timeline } from './views/timeline.js'
import { whenChanged } from './views/types.js'

const url = readUrlState()
let workflowName = url.workflow
let flakyNetwork = url.flaky
// A sleep's deadline, and which steps are sleeps, are only on the wire, not in the client state: followed event by event.
let sleepDeadline: string | null = null
let sleepSteps = noSleepSteps

const client = new WorkflowClient<ArticleInput, ArticleOutput, DemoState>({
  connection: playgroundConnection(() => flakyNetwork),
  // The client reads `body` at every request, reconnects included: a getter keeps it current.
  get body() {
    return { workflow: workflowName }
  },
  // Called before the event's state is published, so the views see the deadline with the pause.
  onEvent: (event) => {
    sleepDeadline = followSleepDeadline(sleepDeadline, event)
    sleepSteps = followSleepSteps(sleepSteps, event)
  },
})

// Told once an outage lasts, and at its end, not at every cut a flaky network makes (announce.ts).
let connectionNews = ''
const announcer = connectionAnnouncer((text) => {
  connectionNews = text
  render(client.state)
})

function showServerFlaky(mode: ServerFlakyMode) {
  form.showFlaky(flakySwitch(flakyNetwork, mode))
}

const form = runForm({
  workflowName,
  flakyNetwork,
  onWorkflowChange: (name) => {
    // The run shown belongs to the old workflow: start over, as New run does.
    workflowName = name
    client.reset()
    writeUrlState({ workflow: name, runId: null })
  },
  onFlakyChange: (on) => {
    flakyNetwork = on
    writeUrlState({ flaky: on })
    // The server may have restarted with another mode since the page asked.
    void refreshServerFlakyMode(showServerFlaky)
    // The stream being read was asked for with the old setting: follow again so this one applies now.
    if (followAgainForFlakySwitch(client.state)) void client.resume()
  },
  onStart: (topic) => {
    // The run shown so far is not the one a reload should find any more; the topic asked about now is.
    writeUrlState({ workflow: workflowName, runId: null, topic })
    void client.start({ topic })
  },
  onStop: () => void client.stop(),
  onDisconnect: () => client.disconnect(),
  onReset: () => {
    client.reset()
    writeUrlState({ runId: null })
  },
})

const left = [form, statusBar((state) => runAnnouncement(state, sleepingUntil(state, sleepDeadline)), () => connectionNews), timeline(() => sleepSteps)]
const right = [
  banners(() => void client.resume()),
  approvalCard((approved, feedback) => void client.approve(approved, feedback)),
  signalCard((name, payload) => void client.signal(name, payload)),
  sleepCard((state) => sleepingUntil(state, sleepDeadline)),
  streamingText(),
  outputPanel(),
  stateInspector(),
]
const views = [...left, ...right]

document.getElementById('app')!.replaceChildren(
  h('div', { className: 'app' },
    h('header', { className: 'app-header' },
      h('h1', {}, copy.title),
      h('span', { className: 'framework-badge', testId: testIds.framework }, 'Vanilla'),
      h('span', { className: 'muted' }, 'WorkflowClient.subscribe and the DOM'),
    ),
    // The main landmark: a screen reader user jumps to the run from the title (the banner).
    h('main', { className: 'layout' },
      h('div', { className: 'column' }, ...left.map((view) => view.element)),
      h('div', { className: 'column' }, ...right.map((view) => view.element)),
    ),
  ),
)

// Focus that loses its control (pressed, or gone with the run) goes to the run status (focus.ts).
keepFocusOnTheRun()

const render = (state: typeof client.state) => views.forEach((view) => view.update(state))
render(client.state)
client.subscribe(render)
client.subscribe(whenChanged((state) => state.connection, announcer.update))
// Into the address bar only once the server took the run on: a refused start leaves nothing to reload.
client.subscribe(whenChanged(acceptedRunId, rememberRun))

// Out of it once the server says it does not know the run: a reload would only fail again.
client.subscribe(whenChanged((state) => runNotice(state.error) === 'gone', forgetGoneRun))

// The switch shows what the server does, which may be more than this tab asks (connection.ts); asked
// again as the window comes back, since the server may have restarted with another mode.
watchServerFlakyMode(showServerFlaky)

// A run id in the address bar means a reload: follow that run instead of starting over.
if (url.runId) void client.attach(url.runId)
