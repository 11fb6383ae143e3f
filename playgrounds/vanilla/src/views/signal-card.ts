import { copy, isAnswering, publishSignal, revealCard, shownSignal, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

export function signalCard(onSend: (name: string, payload: unknown) => void): View {
  const slot = h('div', { className: 'slot' })
  const button = h('button', { className: 'primary', testId: testIds.signalButton, attrs: { type: 'button' }, on: { click: () => onSend(publishSignal.name, publishSignal.payload) } }, copy.sendSignal)
  const draw = whenChanged((state) => shownSignal(state), (signal) => {
    if (!signal) return slot.replaceChildren()
    const prompt = (signal.meta as { prompt?: string } | undefined)?.prompt
    const card = h('section', { className: 'panel signal', testId: testIds.signalCard },
      h('h2', {}, `${copy.signalTitle}: `, h('code', {}, signal.signalName)),
      prompt ? h('p', {}, prompt) : null,
      button,
    )
    slot.replaceChildren(card)
    // Into view as it appears: on a phone it sits below the timeline (reveal.ts).
    revealCard(card)
  })
  // The signal is on its way to the server (isAnswering): not offered again.
  const drawSending = whenChanged(isAnswering, (sending) => (button.disabled = sending))
  return {
    element: slot,
    update: (state) => {
      draw(state)
      drawSending(state)
    },
  }
}
