import { copy, runNotice, runStatusId, testIds, type RunNotice } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type State, type View } from './types.js'

function badge(testId: typeof testIds.status | typeof testIds.connection): HTMLSpanElement {
  return h('span', { className: 'badge', testId })
}

function show(element: HTMLElement, value: string): void {
  element.textContent = value
  element.dataset.value = value
}

/** What the run's error is said as when it is none (runNotice): the badge is not drawn as a failure then. */
function markNotice(element: HTMLElement, notice: RunNotice | null): void {
  if (notice) element.dataset.notice = notice
  else delete element.dataset.notice
}

/**
 * `announcement`: what the run's live region says for a state (runAnnouncement);
 * `connectionAnnouncement`: what the connection's says now (connectionAnnouncer).
 */
export function statusBar(announcement: (state: State) => string, connectionAnnouncement: () => string): View {
  const status = badge(testIds.status)
  const connection = badge(testIds.connection)
  const runId = h('span', { className: 'run-id', testId: testIds.runId })
  // Always on the page, so what appears in them is announced; redrawn only when they say something new.
  const said = h('p', { className: 'visually-hidden', testId: testIds.runAnnouncement, attrs: { role: 'status' } })
  const heard = h('p', { className: 'visually-hidden', testId: testIds.connectionAnnouncement, attrs: { role: 'status' } })
  const updates = [
    whenChanged((state) => state.status, (value) => show(status, value)),
    whenChanged((state) => runNotice(state.error), (notice) => markNotice(status, notice)),
    whenChanged((state) => state.connection, (value) => show(connection, value)),
    whenChanged((state) => state.runId, (value) => (runId.textContent = value ?? '')),
    whenChanged(announcement, (value) => (said.textContent = value)),
    whenChanged(connectionAnnouncement, (value) => (heard.textContent = value)),
  ]
  return {
    element: h('div', { className: 'panel status-bar', testId: testIds.statusBar, attrs: { id: runStatusId, tabindex: '-1', role: 'group', 'aria-label': copy.runStatusLabel } }, 'status', status, 'connection', connection, runId, said, heard),
    update: (state) => updates.forEach((update) => update(state)),
  }
}
