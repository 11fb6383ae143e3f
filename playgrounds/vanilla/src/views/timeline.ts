import type { WorkflowStep } from '@stepstream/client'
import { copy, isStreaming, stepDuration, stepStatusLabel, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import type { View } from './types.js'

/** `following`: this tab reads the run's stream, so a running step's duration is redrawn as it counts. */
function stepItem(step: WorkflowStep, following: boolean): HTMLLIElement {
  const item = h('li', { className: 'step', testId: testIds.step },
    h('span', { className: 'step-name', testId: testIds.stepName }, step.stepName),
    h('span', { className: 'step-type' }, step.stepType ?? ''),
    h('div', { className: 'step-meta' },
      h('span', { testId: testIds.stepStatus }, stepStatusLabel(step)),
      h('span', { className: 'step-duration', testId: testIds.stepDuration }, stepDuration(step, following)),
    ),
    step.error ? h('p', { className: 'step-error', testId: testIds.stepError }, step.error.message) : null,
  )
  item.dataset.status = step.status
  return item
}

export function timeline(): View {
  const empty = h('p', { className: 'muted' }, copy.noSteps)
  const list = h('ol', { className: 'timeline', testId: testIds.timeline })
  // Steps are immutable objects: an unchanged step keeps its <li>, a changed one gets a new one.
  const items = new Map<string, { step: WorkflowStep; element: HTMLLIElement }>()
  let drawn: { steps: readonly WorkflowStep[]; following: boolean } | undefined
  return {
    element: h('section', { className: 'panel' }, h('h2', {}, copy.timeline), empty, list),
    // Redrawn when the steps change, or when this tab starts or stops following the run (a running step's duration).
    update: (state) => {
      const following = isStreaming(state)
      if (drawn && drawn.steps === state.steps && drawn.following === following) return
      drawn = { steps: state.steps, following }
      empty.hidden = state.steps.length > 0
      const next = state.steps.map((step) => {
        const known = items.get(step.stepId)
        // A running step is redrawn on every publish anyway, which keeps its duration counting.
        return known && known.step === step && step.status !== 'running' ? known : { step, element: stepItem(step, following) }
      })
      items.clear()
      for (const entry of next) items.set(entry.step.stepId, entry)
      list.replaceChildren(...next.map((entry) => entry.element))
    },
  }
}
