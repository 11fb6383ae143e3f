import type { WorkflowStep } from '@stepstream/client'
import { copy, stepDuration, stepStatusLabel, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import { whenChanged, type View } from './types.js'

function stepItem(step: WorkflowStep): HTMLLIElement {
  const item = h('li', { className: 'step', testId: testIds.step },
    h('span', { className: 'step-name', testId: testIds.stepName }, step.stepName),
    h('span', { className: 'step-type' }, step.stepType ?? ''),
    h('div', { className: 'step-meta' },
      h('span', { testId: testIds.stepStatus }, stepStatusLabel(step)),
      h('span', { className: 'step-duration', testId: testIds.stepDuration }, stepDuration(step)),
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
  return {
    element: h('section', { className: 'panel' }, h('h2', {}, copy.timeline), empty, list),
    update: whenChanged((state) => state.steps, (steps) => {
      empty.hidden = steps.length > 0
      const next = steps.map((step) => {
        const known = items.get(step.stepId)
        // A running step is redrawn on every publish anyway, which keeps its duration counting.
        return known && known.step === step && step.status !== 'running' ? known : { step, element: stepItem(step) }
      })
      items.clear()
      for (const entry of next) items.set(entry.step.stepId, entry)
      list.replaceChildren(...next.map((entry) => entry.element))
    }),
  }
}
