import { copy, formatClockTime, testIds } from '@stepstream/playground-shared'

/** A pause only its deadline ends: nothing to click, just when the run goes on. */
export function SleepCard({ deadline }: { deadline: string }) {
  return (
    <section className="panel sleep" data-testid={testIds.sleepCard}>
      <h2>{copy.sleepTitle}</h2>
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
