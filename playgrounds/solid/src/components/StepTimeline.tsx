import { copy, durationTickMs, isCounting, stepDuration, stepOutcome, stepStatusLabel, stepTypeLabel, testIds, type SleepSteps } from '@stepstream/playground-shared'
import type { WorkflowStep } from '@stepstream/solid'
import { createEffect, createMemo, createSignal, For, onCleanup, Show } from 'solid-js'

interface StepTimelineProps {
  steps: readonly WorkflowStep[]
  /** This tab reads the run's stream (or is reconnecting to it): a running step's duration counts. */
  following: boolean
  /** Which steps are sleeps (followSleepSteps): the wire types them `signal`. */
  sleepSteps: SleepSteps
}

export function StepTimeline(props: StepTimelineProps) {
  // The clock a counting duration is read against, ticking only while one counts: no event comes in
  // to redraw it while the connection is down, or a step is quiet.
  const [now, setNow] = createSignal(Date.now())
  const counting = createMemo(() => props.steps.some((step) => isCounting(step, props.following)))
  createEffect(() => {
    if (!counting()) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), durationTickMs)
    onCleanup(() => clearInterval(timer))
  })
  return (
    <section class="panel">
      <h2>{copy.timeline}</h2>
      <Show when={props.steps.length === 0}>
        <p class="muted">{copy.noSteps}</p>
      </Show>
      <ol class="timeline" data-testid={testIds.timeline}>
        {/* A step keeps its identity as it changes (one row each, made once); only what reads a changed field is redrawn. */}
        <For each={props.steps}>
          {(step) => (
            <li class="step" data-testid={testIds.step} data-status={stepOutcome(step)}>
              <span class="step-name" data-testid={testIds.stepName}>
                {step.stepName}
              </span>
              <span class="step-type" data-testid={testIds.stepType}>
                {stepTypeLabel(step, props.sleepSteps)}
              </span>
              <div class="step-meta">
                <span data-testid={testIds.stepStatus}>{stepStatusLabel(step)}</span>
                <span class="step-duration" data-testid={testIds.stepDuration}>
                  {stepDuration(step, props.following, now())}
                </span>
              </div>
              <Show when={step.error}>
                {(error) => (
                  <p class="step-error" data-testid={testIds.stepError}>
                    {error().message}
                  </p>
                )}
              </Show>
            </li>
          )}
        </For>
      </ol>
    </section>
  )
}
