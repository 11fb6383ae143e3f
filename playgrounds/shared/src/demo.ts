/**
 * The demo every playground shows. Wording and test ids live here, once, so
 * the five apps read the same and one end-to-end suite drives all of them.
 */

/** The workflows the playground server serves, by the name a request sends as `workflow`. */
export const workflows = [
  { name: 'article', label: 'Article (writer → editor → approval → publish)' },
  { name: 'orchestrated', label: 'Orchestrator (a router picks each agent)' },
  { name: 'newsletter', label: 'Newsletter (waits for a signal)' },
  { name: 'scheduled', label: 'Scheduled (sleeps a few seconds, then publishes)' },
  { name: 'failing', label: 'Failing (the publish step fails)' },
] as const

export type WorkflowName = (typeof workflows)[number]['name']

export const defaultWorkflow: WorkflowName = 'article'

export function isWorkflowName(value: unknown): value is WorkflowName {
  return workflows.some((workflow) => workflow.name === value)
}

export interface ArticleInput {
  topic: string
}

export interface Article {
  title: string
  body: string
  revisions: number
  url: string
}

/** Every demo workflow ends with this output: the blog post's discriminated union. */
export type ArticleOutput = { ok: true; article: Article } | { ok: false; reason: string }

/** The JSON state the workflows keep; the inspector shows it as it changes. */
export type DemoState = Record<string, unknown>

/** The signal the newsletter workflow waits for, and what the playground sends. */
export const publishSignal = { name: 'publish-slot', payload: { slot: 'now' } } as const

/**
 * How long the scheduled workflow sleeps: long enough to see the pause and
 * its deadline, short enough to watch the page carry on by itself.
 */
export const scheduledSleepMs = 3000

export const defaultTopic = 'Typed agent workflows'

export const copy = {
  title: 'stepstream playground',
  workflowLabel: 'Workflow',
  topicLabel: 'Topic',
  // Per tab (a header on this tab's requests), and at once: a stream being read is followed again with it (connection.ts).
  flakyLabel: "Flaky network (the server cuts this tab's streams at random, from now on)",
  flakyAlwaysLabel: 'Flaky network: on for every tab (the server was started with STEPSTREAM_FLAKY=1 and cuts every stream)',
  flakyOffLabel: 'Flaky network: off (this server never cuts streams)',
  start: 'Start',
  stop: 'Stop',
  disconnect: 'Disconnect',
  // Shown under the run controls and given as Disconnect's description: a tooltip reaches neither touch nor most screen readers.
  disconnectHint: "Disconnect closes this tab's connection only: the run goes on on the server, and Resume picks it up where this tab left it.",
  reset: 'New run',
  resume: 'Resume',
  timeline: 'Steps',
  noSteps: 'No steps yet: pick a topic and start.',
  text: 'Streaming text',
  noText: 'Text appears here as the agents write it.',
  state: 'State',
  approve: 'Approve',
  requestChanges: 'Request changes',
  feedbackLabel: 'Feedback for the editor',
  feedbackPlaceholder: 'e.g. Make it punchier',
  signalTitle: 'Waiting for a signal',
  sendSignal: 'Publish now',
  sleepTitle: 'Sleeping',
  sleepUntil: 'The run wakes by itself at',
  sleepHint: 'No click needed: this page follows it when it does.',
  output: 'Output',
  reconnecting: 'Connection lost: reconnecting…',
  connectionRestored: 'Connection restored: following the run again.',
  disconnected: 'Disconnected: the run goes on on the server without this tab.',
  runStatusLabel: 'Run status',
  waitingForApproval: 'Waiting for your approval',
  finishedPublished: 'Finished: published',
  finishedUnpublished: 'Finished without publishing',
  errorTitle: 'Something went wrong',
  // Not errors, though the client reports them as one (runNotice in run-controls.ts): said plainly, without the code.
  stopped: 'Run stopped.',
  runGone: 'That run no longer exists on the server (it expired, or the server restarted). Start a new one.',
  /** What a `sleep()` step is, on the timeline: the wire types it `signal` (stepTypeLabel in format.ts). */
  sleepStepType: 'sleep',
} as const

/** `data-testid` values; the e2e suite finds elements by these alone. */
export const testIds = {
  framework: 'framework',
  workflowSelect: 'workflow-select',
  topicInput: 'topic-input',
  flakyToggle: 'flaky-toggle',
  startButton: 'start-button',
  stopButton: 'stop-button',
  disconnectButton: 'disconnect-button',
  resetButton: 'reset-button',
  /** The run's status region: where focus goes when the control that had it goes away. */
  statusBar: 'status-bar',
  status: 'run-status',
  runAnnouncement: 'run-announcement',
  connectionAnnouncement: 'connection-announcement',
  connection: 'connection-status',
  runId: 'run-id',
  timeline: 'step-timeline',
  step: 'step',
  stepName: 'step-name',
  stepStatus: 'step-status',
  stepType: 'step-type',
  stepDuration: 'step-duration',
  stepError: 'step-error',
  text: 'streaming-text',
  state: 'state-inspector',
  approvalCard: 'approval-card',
  approvalTitle: 'approval-title',
  feedbackInput: 'feedback-input',
  approveButton: 'approve-button',
  requestChangesButton: 'request-changes-button',
  signalCard: 'signal-card',
  signalButton: 'signal-button',
  sleepCard: 'sleep-card',
  sleepDeadline: 'sleep-deadline',
  output: 'output',
  outputTitle: 'output-title',
  outputBody: 'output-body',
  reconnecting: 'reconnecting-banner',
  disconnected: 'disconnected-banner',
  error: 'error-banner',
  stopped: 'stopped-banner',
  runGone: 'run-gone-banner',
  resumeButton: 'resume-button',
} as const

export type TestId = (typeof testIds)[keyof typeof testIds]

/**
 * The approval card's title and description, by id: the card is a region
 * named by its title and its feedback field is described by the description,
 * since Tab goes from the run status straight to the field and would skip
 * both. One card is up at a time, so fixed ids stay unique.
 */
export const approvalIds = { title: 'approval-card-title', description: 'approval-card-description' } as const

/** The description of Disconnect (its `aria-describedby`), drawn under the run controls. */
export const disconnectHintId = 'disconnect-hint'

/** The five playgrounds, in the order `pnpm dev` lists them. */
export const frameworks = ['react', 'vue', 'svelte', 'solid', 'vanilla'] as const

export type Framework = (typeof frameworks)[number]
