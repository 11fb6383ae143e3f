import { copy, formatClockTime, testIds } from '@stepstream/playground-shared'

/** A pause only its deadline ends: nothing to click, just when the run goes on. */
export function SleepCard(props: { deadline: string }) {
  return (
    <section class="panel sleep" data-testid={testIds.sleepCard}>
      <h2>{copy.sleepTitle}</h2>
      <p>
        {copy.sleepUntil}{' '}
        <time data-testid={testIds.sleepDeadline} datetime={props.deadline}>
          {formatClockTime(props.deadline)}
        </time>
        . {copy.sleepHint}
      </p>
    </section>
  )
}
