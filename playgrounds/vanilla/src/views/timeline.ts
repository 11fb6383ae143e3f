import type { WorkflowStep } from '@stepstream/client'
import { copy, durationTickMs, isCounting, isStreaming, stepDuration, stepOutcome, stepStatusLabel, stepTypeLabel, testIds, type SleepSteps } from '@stepstream/playground-shared'
import { h } from '../h.js'
import type { View } from './types.js'

interface Item {
  step: WorkflowStep
  element: HTMLLIElement
  duration: HTMLSpanElement
}

/** `following`: this tab reads the run's stream (or is reconnecting to it), so a running step's duration counts. */
function stepItem(step: WorkflowStep, following: boolean, sleepSteps: SleepSteps): Item {
  const duration = h('span', { className: 'step-duration', testId: testIds.stepDuration }, stepDuration(step, following))
  const element = h('li', { className: 'step', testId: testIds.step },
    h('span', { className: 'step-name', testId: testIds.stepName }, step.stepName),
    h('span', { className: 'step-type', testId: testIds.stepType }, stepTypeLabel(step, sleepSteps)),
    h('div', { className: 'step-meta' },
      h('span', { testId: testIds.stepStatus }, stepStatusLabel(step)),
      duration,
    ),
    step.error ? h('p', { className: 'step-error', testId: testIds.stepError }, step.error.message) : null,
  )
  element.dataset.status = stepOutcome(step)
  return { step, element, duration }
}

/** `sleepSteps`: which steps are sleeps (followSleepSteps), as the wire types them `signal`. */
export function timeline(sleepSteps: () => SleepSteps): View {
  const empty = h('p', { className: 'muted' }, copy.noSteps)
  const list = h('ol', { className: 'timeline', testId: testIds.timeline })
  // Steps are immutable objects: an unchanged step keeps its <li>, a changed one gets a new one.
  const items = new Map<string, Item>()
  let drawn: { steps: readonly WorkflowStep[]; following: boolean; sleepSteps: SleepSteps } | undefined
  // A counting duration is redrawn on a clock: no event comes in to redraw it while the connection is down.
  let clock: ReturnType<typeof setInterval> | undefined
  const tick = () => {
    for (const { step, duration } of items.values()) {
      if (drawn && isCounting(step, drawn.following)) duration.textContent = stepDuration(step, drawn.following)
    }
  }
  return {
    element: h('section', { className: 'panel' }, h('h2', {}, copy.timeline), empty, list),
    // Redrawn when the steps change, when this tab starts or stops following the run (a running step's
    // duration), or when a step turns out to be a sleep (its run.paused changes no step).
    update: (state) => {
      const following = isStreaming(state)
      const sleeps = sleepSteps()
      if (drawn && drawn.steps === state.steps && drawn.following === following && drawn.sleepSteps === sleeps) return
      const relabel = drawn?.sleepSteps !== sleeps
      drawn = { steps: state.steps, following, sleepSteps: sleeps }
      empty.hidden = state.steps.length > 0
      const next = state.steps.map((step) => {
        const known = items.get(step.stepId)
        return known && known.step === step && step.status !== 'running' && !relabel ? known : stepItem(step, following, sleeps)
      })
      items.clear()
      for (const entry of next) items.set(entry.step.stepId, entry)
      list.replaceChildren(...next.map((entry) => entry.element))
      const counting = state.steps.some((step) => isCounting(step, following))
      if (counting && clock === undefined) clock = setInterval(tick, durationTickMs)
      if (!counting && clock !== undefined) {
        clearInterval(clock)
        clock = undefined
      }
    },
  }
}
