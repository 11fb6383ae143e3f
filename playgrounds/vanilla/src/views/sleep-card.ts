import { copy, formatClockTime, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type State, type View } from './types.js'

function card(deadline: string): HTMLElement {
  const time = h('time', { testId: testIds.sleepDeadline, attrs: { datetime: deadline } }, formatClockTime(deadline))
  return h('section', { className: 'panel sleep', testId: testIds.sleepCard },
    h('h2', {}, copy.sleepTitle),
    h('p', {}, `${copy.sleepUntil} `, time, `. ${copy.sleepHint}`),
  )
}

/** A pause only its deadline ends: nothing to click, just when the run goes on. `deadline` says which one is shown. */
export function sleepCard(deadline: (state: State) => string | null): View {
  const slot = h('div', { className: 'slot' })
  return {
    element: slot,
    update: whenChanged(deadline, (value) => slot.replaceChildren(...(value ? [card(value)] : []))),
  }
}
