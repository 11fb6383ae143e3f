import { copy, stepDuration, stepStatusLabel, testIds } from '@stepstream/playground-shared'
import type { WorkflowStep } from '@stepstream/solid'
import { For, Show } from 'solid-js'

/** `following`: this tab reads the run's stream, so a running step's duration is redrawn as it counts. */
export function StepTimeline(props: { steps: readonly WorkflowStep[]; following: boolean }) {
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
            <li class="step" data-testid={testIds.step} data-status={step.status}>
              <span class="step-name" data-testid={testIds.stepName}>
                {step.stepName}
              </span>
              <span class="step-type">{step.stepType}</span>
              <div class="step-meta">
                <span data-testid={testIds.stepStatus}>{stepStatusLabel(step)}</span>
                <span class="step-duration" data-testid={testIds.stepDuration}>
                  {/* Read whole, so it is redrawn as the step streams (its text, per token) and a running step's time counts, as in the other apps. */}
                  {stepDuration({ ...step }, props.following)}
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
