import type { WorkflowStep } from '@stepstream/client'
import { createSignal } from 'solid-js'

type StepView = { view: WorkflowStep; set: (step: WorkflowStep) => void }

/**
 * Every field a step may have (the compiler keeps the list whole): each has
 * its signal from the start, so a row that reads one before the step has it
 * (`step.error`, `step.finishedAt` while the step runs) is woken when it comes.
 */
const STEP_FIELDS = Object.keys({
  stepId: true,
  stepName: true,
  stepType: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  result: true,
  error: true,
  text: true,
  messageIds: true,
} satisfies Record<keyof WorkflowStep, true>)

/**
 * A step that keeps its identity as the client publishes new objects for it:
 * one signal per field, read through getters that are enumerable while the
 * step has the field, so the view spreads, serialises and compares as the
 * step does. Written inside the caller's batch.
 */
function createStepView(step: WorkflowStep): StepView {
  const view = {} as WorkflowStep
  const fields = new Map<string, { write: (value: unknown) => void; present: boolean }>()
  const set = (next: WorkflowStep) => {
    const values = next as unknown as Record<string, unknown>
    // Another server's own fields too, as they come.
    for (const key of new Set([...STEP_FIELDS, ...Object.keys(values)])) {
      let field = fields.get(key)
      if (!field) {
        const [read, write] = createSignal<unknown>(values[key])
        Object.defineProperty(view, key, { configurable: true, enumerable: false, get: read })
        // The function form, so a function-valued field is stored, not called.
        field = { write: (value) => write(() => value), present: false }
        fields.set(key, field)
      }
      field.write(values[key])
      const present = Object.hasOwn(values, key)
      if (present !== field.present) Object.defineProperty(view, key, { enumerable: (field.present = present) })
    }
  }
  set(step)
  return { view, set }
}

/**
 * The steps as `<For>` should see them. The client publishes a new object for
 * the streaming step with each token, and `<For>` keys its rows by identity,
 * so that step's row (a component, its local state, its focus) would be made
 * again per token. Here a step is one view per occurrence of its `stepId`,
 * updated in place: its row stays, and only what reads a changed field re-runs.
 */
export function createStepViews() {
  let views = new Map<string, StepView>()
  let source: readonly WorkflowStep[] = []
  let shown: readonly WorkflowStep[] = []
  return {
    /** The views of `steps`: the same array while `steps` is the same array. */
    steps(steps: readonly WorkflowStep[]): readonly WorkflowStep[] {
      if (steps === source) return shown
      const occurrences = new Map<string, number>()
      const kept = new Map<string, StepView>()
      shown = steps.map((step) => {
        const occurrence = occurrences.get(step.stepId) ?? 0
        occurrences.set(step.stepId, occurrence + 1)
        // A stepId sent twice is two steps, not one view shown twice.
        const key = `${occurrence} ${step.stepId}`
        let entry = views.get(key)
        if (entry) entry.set(step)
        else entry = createStepView(step)
        kept.set(key, entry)
        return entry.view
      })
      views = kept
      source = steps
      return shown
    },
    /** The view of the current step, one of the steps last given to `steps`. */
    current(step: WorkflowStep | null): WorkflowStep | null {
      return step && (shown[source.indexOf(step)] ?? step)
    },
  }
}
