import { copy, formatState, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

export function stateInspector(): View {
  const pre = h('pre', { className: 'state', testId: testIds.state })
  return {
    element: h('section', { className: 'panel' }, h('h2', {}, copy.state), pre),
    update: whenChanged((state) => state.state, (value) => (pre.textContent = formatState(value))),
  }
}
