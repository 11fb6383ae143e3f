import { copy, formatClockTime, testIds } from '@stepstream/playground-shared'

/** A pause only its deadline ends: nothing to click, just when the run goes on. */
export function SleepCard({ deadline }: { deadline: string }) {
  return (
    <section className="panel sleep" data-testid={testIds.sleepCard}>
      <h3>{copy.sleepTitle}</h3>
      <p>
        {copy.sleepUntil}{' '}
        <time data-testid={testIds.sleepDeadline} dateTime={deadline}>
          {formatClockTime(deadline)}
        </time>
        . {copy.sleepHint}
      </p>
    </section>
  )
}
