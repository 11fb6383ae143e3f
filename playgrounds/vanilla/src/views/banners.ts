import { canResume, copy, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import type { State, View } from './types.js'

export function banners(onResume: () => void): View {
  const slot = h('div', { className: 'slot' })
  const draw = (state: State) => {
    const reconnecting = state.connection === 'reconnecting'
      ? h('div', { className: 'banner warning', testId: testIds.reconnecting, attrs: { role: 'status' } }, copy.reconnecting)
      : null
    const resume = () => h('button', { testId: testIds.resumeButton, attrs: { type: 'button' }, on: { click: onResume } }, copy.resume)
    const error = state.error
      ? h('div', { className: 'banner error', testId: testIds.error, attrs: { role: 'alert' } },
          h('span', {}, `${copy.errorTitle}: `, h('code', {}, state.error.code), ` ${state.error.message}`),
          canResume(state) ? resume() : null,
        )
      : null
    // No error: this tab let go of the run (Disconnect), which goes on without it.
    const disconnected = !state.error && canResume(state)
      ? h('div', { className: 'banner info', testId: testIds.disconnected, attrs: { role: 'status' } }, h('span', {}, copy.disconnected), resume())
      : null
    slot.replaceChildren(...[reconnecting, error, disconnected].filter((node) => node !== null))
  }
  return {
    element: slot,
    // Redraw only when what the banners say changes.
    update: (state) => {
      const key = `${state.connection === 'reconnecting'}|${state.error?.code ?? ''}|${state.error?.message ?? ''}|${canResume(state)}`
      if (slot.dataset.key === key) return
      slot.dataset.key = key
      draw(state)
    },
  }
}
