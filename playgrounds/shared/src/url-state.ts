import type { WorkflowClientState } from '@stepstream/client'
import { defaultTopic, defaultWorkflow, isWorkflowName, type WorkflowName } from './demo.js'
import { serverHasRun } from './run-controls.js'

/**
 * What the address bar remembers: the run being followed (so a reload
 * attaches to it), its workflow, the topic last started (so the form still
 * names the run's after a reload, and Start asks about it again rather than
 * about the default), and the flaky-network switch.
 */
export interface UrlState {
  workflow: WorkflowName
  runId: string | null
  topic: string | null
  flaky: boolean
}

export function readUrlState(location: Pick<Location, 'search'> = window.location): UrlState {
  const params = new URLSearchParams(location.search)
  const workflow = params.get('workflow')
  return {
    workflow: isWorkflowName(workflow) ? workflow : defaultWorkflow,
    runId: params.get('run') || null,
    topic: params.get('topic') || null,
    flaky: params.get('flaky') === '1',
  }
}

/** `replaceState`, not `pushState`: Back should leave the playground, not step through runs. */
export function writeUrlState(patch: Partial<UrlState>): void {
  const next = { ...readUrlState(), ...patch }
  const params = new URLSearchParams(window.location.search)
  params.set('workflow', next.workflow)
  if (next.topic) params.set('topic', next.topic)
  else params.delete('topic')
  if (next.runId) params.set('run', next.runId)
  else params.delete('run')
  if (next.flaky) params.set('flaky', '1')
  else params.delete('flaky')
  window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params}`)
}

/** The topic field's first value: the one last started, as the address bar remembers it. */
export function initialTopic(): string {
  return readUrlState().topic ?? defaultTopic
}

/**
 * The run the server has taken on: it answered the start (or attach) with a
 * stream, or events of the run were applied. Until then a reload must not look
 * for the run, since a refused start (e.g. invalid input) creates none.
 */
export function acceptedRunId(state: Pick<WorkflowClientState, 'runId' | 'connection' | 'lastEventIndex'>): string | null {
  return serverHasRun(state) ? state.runId : null
}

/**
 * Drops a run the server does not know (`runNotice` 'gone': expired, or the
 * server restarted) from the address bar, so a reload does not ask for it
 * again and fail again; the topic and workflow stay for the next start.
 */
export function forgetGoneRun(gone: boolean): void {
  if (gone && readUrlState().runId !== null) writeUrlState({ runId: null })
}

/** Puts an accepted run into the address bar, so a reload attaches to it; a no-op when it is there already. */
export function rememberRun(runId: string | null): void {
  if (runId !== null && readUrlState().runId !== runId) writeUrlState({ runId })
}
