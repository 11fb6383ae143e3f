import {
  acceptedRunId,
  canDisconnect,
  canReset,
  canResume,
  canStop,
  connectionAnnouncer,
  copy,
  flakySwitch,
  followAgainForFlakySwitch,
  followSleepDeadline,
  followSleepSteps,
  forgetGoneRun,
  isAnswering,
  isLive,
  isStreaming,
  noSleepSteps,
  playgroundConnection,
  readUrlState,
  refreshServerFlakyMode,
  runAnnouncement,
  runNotice,
  shownApproval,
  shownSignal,
  rememberRun,
  sleepingUntil,
  testIds,
  watchServerFlakyMode,
  writeUrlState,
  type ArticleInput,
  type ArticleOutput,
  type DemoState,
  type ServerFlakyMode,
  type WorkflowName,
} from '@stepstream/playground-shared'
import { useWorkflow } from '@stepstream/solid'
import { createEffect, createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js'
import { ApprovalCard } from './components/ApprovalCard.js'
import { Banners } from './components/Banners.js'
import { OutputPanel } from './components/OutputPanel.js'
import { RunForm } from './components/RunForm.js'
import { SignalCard } from './components/SignalCard.js'
import { SleepCard } from './components/SleepCard.js'
import { StateInspector } from './components/StateInspector.js'
import { StatusBar } from './components/StatusBar.js'
import { StepTimeline } from './components/StepTimeline.js'
import { StreamingText } from './components/StreamingText.js'

export function App() {
  const initial = readUrlState()
  const [workflowName, setWorkflowName] = createSignal<WorkflowName>(initial.workflow)
  const [flakyNetwork, setFlakyNetwork] = createSignal(initial.flaky)
  // The switch is read per request, so toggling it affects the next reconnect.
  const connection = playgroundConnection(flakyNetwork)
  // The switch shows what the server does, which may be more than this tab asks (connection.ts).
  const [serverFlaky, setServerFlaky] = createSignal<ServerFlakyMode | null>(null)
  // Asked again as the window comes back: the server may have restarted with another mode.
  onMount(() => onCleanup(watchServerFlakyMode(setServerFlaky)))
  // A sleep's deadline, and which steps are sleeps, are only on the wire, not in the client state: follow them event by event.
  const [sleepDeadline, setSleepDeadline] = createSignal<string | null>(null)
  const [sleepSteps, setSleepSteps] = createSignal(noSleepSteps)
  // An options accessor: a new workflow name reaches the client without a new client.
  const wf = useWorkflow<ArticleInput, ArticleOutput, DemoState>(() => ({
    connection,
    body: { workflow: workflowName() },
    onEvent: (event) => {
      setSleepDeadline((deadline) => followSleepDeadline(deadline, event))
      setSleepSteps((steps) => followSleepSteps(steps, event))
    },
  }))
  const live = () => isLive(wf)

  // Told once an outage lasts, and at its end, not at every cut a flaky network makes (announce.ts).
  const [connectionNews, setConnectionNews] = createSignal('')
  const announcer = connectionAnnouncer(setConnectionNews)
  createEffect(() => announcer.update(wf.connection))
  onCleanup(announcer.dispose)
  const sleepingDeadline = () => sleepingUntil(wf, sleepDeadline())

  // Into the address bar only once the server took the run on: a refused start leaves nothing to reload.
  // A memo, so the effect runs when the accepted run changes, not at every event.
  const runToRemember = createMemo(() => acceptedRunId(wf))
  createEffect(() => rememberRun(runToRemember()))
  // Out of it once the server says it does not know the run: a reload would only fail again.
  const runGone = createMemo(() => runNotice(wf.error) === 'gone')
  createEffect(() => forgetGoneRun(runGone()))

  // A run id in the address bar means a reload: follow that run instead of starting over.
  onMount(() => {
    if (initial.runId) void wf.attach(initial.runId)
  })

  const start = (topic: string) => {
    // The run shown so far is not the one a reload should find any more; the topic asked about now is.
    writeUrlState({ workflow: workflowName(), runId: null, topic })
    void wf.start({ topic })
  }
  const reset = () => {
    wf.reset()
    writeUrlState({ runId: null })
  }

  return (
    <div class="app">
      <header class="app-header">
        <h1>{copy.title}</h1>
        <span class="framework-badge" data-testid={testIds.framework}>
          Solid
        </span>
        <span class="muted">useWorkflow from @stepstream/solid</span>
      </header>
      {/* The main landmark: a screen reader user jumps to the run from the title (the banner). */}
      <main class="layout">
        <div class="column">
          <RunForm
            workflowName={workflowName()}
            onWorkflowChange={(name) => {
              // The run shown belongs to the old workflow: start over, as New run does.
              setWorkflowName(name)
              wf.reset()
              writeUrlState({ workflow: name, runId: null })
            }}
            flaky={flakySwitch(flakyNetwork(), serverFlaky())}
            onFlakyChange={(on) => {
              setFlakyNetwork(on)
              writeUrlState({ flaky: on })
              // The server may have restarted with another mode since the page asked.
              void refreshServerFlakyMode(setServerFlaky)
              // The stream being read was asked for with the old setting: follow again so this one applies now.
              if (followAgainForFlakySwitch(wf)) void wf.resume()
            }}
            live={live()}
            canStop={canStop(wf)}
            canDisconnect={canDisconnect(wf)}
            canReset={canReset(wf)}
            onStart={start}
            onStop={() => void wf.stop()}
            onDisconnect={() => wf.disconnect()}
            onReset={reset}
          />
          <StatusBar status={wf.status} connection={wf.connection} runId={wf.runId} notice={runNotice(wf.error)} announcement={runAnnouncement(wf, sleepingDeadline())}
            connectionAnnouncement={connectionNews()}
          />
          <StepTimeline steps={wf.steps} following={isStreaming(wf)} sleepSteps={sleepSteps()} />
        </div>
        <div class="column">
          <Banners connection={wf.connection} error={wf.error} canResume={canResume(wf)} onResume={() => void wf.resume()} />
          {/* Keyed: each new approval (a new object) gets a fresh card with empty feedback. */}
          <Show when={shownApproval(wf)} keyed>
            {(approval) => <ApprovalCard approval={approval} deciding={isAnswering(wf)} onDecide={(approved, feedback) => void wf.approve(approved, feedback)} />}
          </Show>
          <Show when={shownSignal(wf)}>
            {(signal) => <SignalCard signal={signal()} sending={isAnswering(wf)} onSend={(name, payload) => void wf.signal(name, payload)} />}
          </Show>
          <Show when={sleepingDeadline()}>{(deadline) => <SleepCard deadline={deadline()} />}</Show>
          <StreamingText text={wf.currentText} streaming={isStreaming(wf)} />
          <Show when={wf.output}>{(output) => <OutputPanel output={output()} />}</Show>
          <StateInspector state={wf.state} />
        </div>
      </main>
    </div>
  )
}
