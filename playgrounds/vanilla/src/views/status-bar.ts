import { copy, runStatusId, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

function badge(testId: typeof testIds.status | typeof testIds.connection): HTMLSpanElement {
  return h('span', { className: 'badge', testId })
}

function show(element: HTMLElement, value: string): void {
  element.textContent = value
  element.dataset.value = value
}

export function statusBar(): View {
  const status = badge(testIds.status)
  const connection = badge(testIds.connection)
  const runId = h('span', { className: 'run-id', testId: testIds.runId })
  const updates = [
    whenChanged((state) => state.status, (value) => show(status, value)),
    whenChanged((state) => state.connection, (value) => show(connection, value)),
    whenChanged((state) => state.runId, (value) => (runId.textContent = value ?? '')),
  ]
  return {
    element: h('div', { className: 'panel status-bar', testId: testIds.statusBar, attrs: { id: runStatusId, tabindex: '-1', role: 'group', 'aria-label': copy.runStatusLabel } }, 'status', status, 'connection', connection, runId),
    update: (state) => updates.forEach((update) => update(state)),
  }
}
