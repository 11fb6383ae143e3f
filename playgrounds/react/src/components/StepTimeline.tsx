import { copy, stepDuration, stepStatusLabel, testIds } from '@stepstream/playground-shared'
import type { WorkflowStep } from '@stepstream/react'

/** `following`: this tab reads the run's stream, so a running step's duration is redrawn as it counts. */
export function StepTimeline({ steps, following }: { steps: readonly WorkflowStep[]; following: boolean }) {
  return (
    <section className="panel">
      <h2>{copy.timeline}</h2>
      {steps.length === 0 ? <p className="muted">{copy.noSteps}</p> : null}
      <ol className="timeline" data-testid={testIds.timeline}>
        {steps.map((step) => (
          <li key={step.stepId} className="step" data-testid={testIds.step} data-status={step.status}>
            <span className="step-name" data-testid={testIds.stepName}>
              {step.stepName}
            </span>
            <span className="step-type">{step.stepType}</span>
            <div className="step-meta">
              <span data-testid={testIds.stepStatus}>{stepStatusLabel(step)}</span>
              {/* A running step's duration is as of this render: streaming text re-renders it often enough. */}
              <span className="step-duration" data-testid={testIds.stepDuration}>
                {stepDuration(step, following)}
              </span>
            </div>
            {step.error ? (
              <p className="step-error" data-testid={testIds.stepError}>
                {step.error.message}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  )
}
