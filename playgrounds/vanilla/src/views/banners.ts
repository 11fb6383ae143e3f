import { canResume, copy, runNotice, runNoticeShown, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import type { State, View } from './types.js'

export function banners(onResume: () => void): View {
  // Drawn at every cut, outside the live region: a screen reader hears of an outage once it lasts (announce.ts).
  const reconnecting = h('div', { className: 'slot' })
  // Always on the page: a live region announces what appears in it, not a region that appears.
  const status = h('div', { className: 'banners', attrs: { role: 'status' } })
  const alert = h('div', { className: 'slot' })
  const draw = (state: State) => {
    reconnecting.replaceChildren(
      ...(state.connection === 'reconnecting' ? [h('div', { className: 'banner warning', testId: testIds.reconnecting }, copy.reconnecting)] : []),
    )
    const resume = () => h('button', { testId: testIds.resumeButton, attrs: { type: 'button' }, on: { click: onResume } }, copy.resume)
    // A stop someone asked for, or a run that no longer exists, is said plainly; a real error is an alert.
    const notice = runNotice(state.error)
    const noticeBanner = notice ? h('div', { className: 'banner notice', testId: runNoticeShown[notice].testId }, runNoticeShown[notice].text) : null
    // An alert is announced as it appears.
    const error = state.error && !notice
      ? h('div', { className: 'banner error', testId: testIds.error, attrs: { role: 'alert' } },
          h('span', {}, `${copy.errorTitle}: `, h('code', {}, state.error.code), ` ${state.error.message}`),
          canResume(state) ? resume() : null,
        )
      : null
    // No error: this tab let go of the run (Disconnect), which goes on without it.
    const disconnected = !state.error && canResume(state)
      ? h('div', { className: 'banner info', testId: testIds.disconnected }, h('span', {}, copy.disconnected), resume())
      : null
    status.replaceChildren(...[disconnected, noticeBanner].filter((banner) => banner !== null))
    alert.replaceChildren(...(error ? [error] : []))
  }
  const slot = h('div', { className: 'slot' }, reconnecting, status, alert)
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
