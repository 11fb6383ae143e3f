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
import { useWorkflow } from '@stepstream/react'
import { useEffect, useRef, useState } from 'react'
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
  const [initial] = useState(readUrlState)
  const [workflowName, setWorkflowName] = useState<WorkflowName>(initial.workflow)
  const [flakyNetwork, setFlakyNetwork] = useState(initial.flaky)
  // The connection reads the switch per request, so it is created once and never goes stale.
  const flakyRef = useRef(flakyNetwork)
  flakyRef.current = flakyNetwork
  const [connection] = useState(() => playgroundConnection(() => flakyRef.current))
  // The switch shows what the server does, which may be more than this tab asks (connection.ts).
  const [serverFlaky, setServerFlaky] = useState<ServerFlakyMode | null>(null)
  // Asked again as the window comes back: the server may have restarted with another mode.
  useEffect(() => watchServerFlakyMode(setServerFlaky), [])

  // A sleep's deadline, and which steps are sleeps, are only on the wire, not in the client state: follow them event by event.
  const [sleepDeadline, setSleepDeadline] = useState<string | null>(null)
  const [sleepSteps, setSleepSteps] = useState(noSleepSteps)
  const workflow = useWorkflow<ArticleInput, ArticleOutput, DemoState>({
    connection,
    body: { workflow: workflowName },
    onEvent: (event) => {
      setSleepDeadline((deadline) => followSleepDeadline(deadline, event))
      setSleepSteps((steps) => followSleepSteps(steps, event))
    },
  })
  const live = isLive(workflow)
  const approval = shownApproval(workflow)
  const pendingSignal = shownSignal(workflow)

  // Told once an outage lasts, and at its end, not at every cut a flaky network makes (announce.ts).
  const [connectionNews, setConnectionNews] = useState('')
  const [announcer] = useState(() => connectionAnnouncer(setConnectionNews))
  useEffect(() => announcer.update(workflow.connection), [announcer, workflow.connection])
  useEffect(() => () => announcer.dispose(), [announcer])
  const sleepingDeadline = sleepingUntil(workflow, sleepDeadline)

  // Into the address bar only once the server took the run on: a refused start leaves nothing to reload.
  const runToRemember = acceptedRunId(workflow)
  useEffect(() => rememberRun(runToRemember), [runToRemember])
  // Out of it once the server says it does not know the run: a reload would only fail again.
  const runGone = runNotice(workflow.error) === 'gone'
  useEffect(() => forgetGoneRun(runGone), [runGone])

  // A run id in the address bar means a reload: follow that run instead of starting over.
  useEffect(() => {
    if (initial.runId) void workflow.attach(initial.runId)
  }, [initial.runId, workflow.attach])

  const start = (topic: string) => {
    // The run shown so far is not the one a reload should find any more; the topic asked about now is.
    writeUrlState({ workflow: workflowName, runId: null, topic })
    void workflow.start({ topic })
  }
  const reset = () => {
    workflow.reset()
    writeUrlState({ runId: null })
  }

  return (
    <div className="app">
      <header className="app-header">
        <h1>{copy.title}</h1>
        <span className="framework-badge" data-testid={testIds.framework}>
          React
        </span>
        <span className="muted">useWorkflow from @stepstream/react</span>
      </header>
      {/* The main landmark: a screen reader user jumps to the run from the title (the banner). */}
      <main className="layout">
        <div className="column">
          <RunForm
            workflowName={workflowName}
            onWorkflowChange={(name) => {
              // The run shown belongs to the old workflow: start over, as New run does.
              setWorkflowName(name)
              workflow.reset()
              writeUrlState({ workflow: name, runId: null })
            }}
            flaky={flakySwitch(flakyNetwork, serverFlaky)}
            onFlakyChange={(on) => {
              setFlakyNetwork(on)
              // Read by the resume below, before the next render would set it.
              flakyRef.current = on
              writeUrlState({ flaky: on })
              // The server may have restarted with another mode since the page asked.
              void refreshServerFlakyMode(setServerFlaky)
              // The stream being read was asked for with the old setting: follow again so this one applies now.
              if (followAgainForFlakySwitch(workflow)) void workflow.resume()
            }}
            live={live}
            canStop={canStop(workflow)}
            canDisconnect={canDisconnect(workflow)}
            canReset={canReset(workflow)}
            onStart={start}
            onStop={() => void workflow.stop()}
            onDisconnect={() => workflow.disconnect()}
            onReset={reset}
          />
          <StatusBar
            status={workflow.status}
            connection={workflow.connection}
            runId={workflow.runId}
            notice={runNotice(workflow.error)}
            announcement={runAnnouncement(workflow, sleepingDeadline)}
            connectionAnnouncement={connectionNews}
          />
          <StepTimeline steps={workflow.steps} following={isStreaming(workflow)} sleepSteps={sleepSteps} />
        </div>
        <div className="column">
          <Banners
            connection={workflow.connection}
            error={workflow.error}
            canResume={canResume(workflow)}
            onResume={() => void workflow.resume()}
          />
          {approval ? (
            <ApprovalCard
              key={approval.approvalId}
              approval={approval}
              deciding={isAnswering(workflow)}
              onDecide={(approved, feedback) => void workflow.approve(approved, feedback)}
            />
          ) : null}
          {pendingSignal ? (
            <SignalCard signal={pendingSignal} sending={isAnswering(workflow)} onSend={(name, payload) => void workflow.signal(name, payload)} />
          ) : null}
          {sleepingDeadline ? <SleepCard deadline={sleepingDeadline} /> : null}
          <StreamingText text={workflow.currentText} streaming={isStreaming(workflow)} />
          {workflow.output ? <OutputPanel output={workflow.output} /> : null}
          <StateInspector state={workflow.state} />
        </div>
      </main>
    </div>
  )
}
