import { copy, isStreaming, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

export function streamingText(): View {
  const empty = h('p', { className: 'muted' }, copy.noText)
  const text = h('pre', { className: 'text', testId: testIds.text })
  const drawText = whenChanged((state) => state.currentText, (value) => {
    text.textContent = value
    empty.hidden = value !== ''
  })
  const drawCaret = whenChanged((state) => isStreaming(state) && state.currentText !== '', (streaming) => {
    text.dataset.streaming = String(streaming)
  })
  return {
    element: h('section', { className: 'panel' }, h('h2', {}, copy.text), empty, text),
    update: (state) => {
      drawText(state)
      drawCaret(state)
    },
  }
}
