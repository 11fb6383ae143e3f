import { copy, durationTickMs, isCounting, stepDuration, stepOutcome, stepStatusLabel, stepTypeLabel, testIds, type SleepSteps } from '@stepstream/playground-shared'
import type { WorkflowStep } from '@stepstream/react'
import { useEffect, useState } from 'react'

interface StepTimelineProps {
  steps: readonly WorkflowStep[]
  /** This tab reads the run's stream (or is reconnecting to it): a running step's duration counts. */
  following: boolean
  /** Which steps are sleeps (followSleepSteps): the wire types them `signal`. */
  sleepSteps: SleepSteps
}

/**
 * Re-renders every `durationTickMs` while `on`, so a counting duration (read as of each render) goes on
 * counting when no event comes in to re-render it: while the connection is down, or a step is quiet.
 */
function useRedrawWhile(on: boolean): void {
  const [, setTick] = useState(0)
  useEffect(() => {
    if (!on) return
    const timer = setInterval(() => setTick((tick) => tick + 1), durationTickMs)
    return () => clearInterval(timer)
  }, [on])
}

export function StepTimeline({ steps, following, sleepSteps }: StepTimelineProps) {
  useRedrawWhile(steps.some((step) => isCounting(step, following)))
  return (
    <section className="panel">
      <h2>{copy.timeline}</h2>
      {steps.length === 0 ? <p className="muted">{copy.noSteps}</p> : null}
      <ol className="timeline" data-testid={testIds.timeline}>
        {steps.map((step) => (
          <li key={step.stepId} className="step" data-testid={testIds.step} data-status={stepOutcome(step)}>
            <span className="step-name" data-testid={testIds.stepName}>
              {step.stepName}
            </span>
            <span className="step-type" data-testid={testIds.stepType}>
              {stepTypeLabel(step, sleepSteps)}
            </span>
            <div className="step-meta">
              <span data-testid={testIds.stepStatus}>{stepStatusLabel(step)}</span>
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
