import { CUSTOM_EVENT } from '@stepstream/protocol'
import { MAX_TIMER_MS } from './backoff.js'
import type { WireEvent } from './reducer.js'

/** After a pause's deadline, how long to wait before looking, doubled on each look that finds the server not moved on yet. */
const WAKE_SLACK_MS = 250
const MAX_LOOKS = 8

/** The deadline (ms since the epoch) of a `run.paused` wait, which the server ends by itself then. */
function pauseDeadline(event: WireEvent): number | undefined {
  if (event.type !== 'CUSTOM' || event.name !== CUSTOM_EVENT.runPaused) return undefined
  const deadline = Date.parse(String((event.value as { deadline?: unknown } | null)?.deadline))
  return Number.isNaN(deadline) ? undefined : deadline
}

/**
 * A paused run whose wait has a deadline goes on without anyone acting (a
 * sleep wakes, a signal wait times out), and nothing would tell the client.
 * So it comes back at the deadline and follows the run from its cursor;
 * clocks differ, so a look that finds the server still waiting is repeated
 * later and later, a bounded number of times.
 */
export class DeadlineLook {
  /** When the wait the run is paused on ends on the server by itself. */
  #wakeAt: number | undefined
  #looks = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly isPaused: () => boolean,
    private readonly look: () => void,
  ) {}

  /** Notes the deadline an applied event announces; a new segment of the run forgets the last one's. */
  noteEvent(event: WireEvent): void {
    if (event.type === 'RUN_STARTED') this.forget()
    else this.#wakeAt = pauseDeadline(event) ?? this.#wakeAt
  }

  forget(): void {
    this.#wakeAt = undefined
    this.#looks = 0
  }

  /** Comes back at the deadline, if the run is paused on one and the looks are not spent. */
  schedule(): void {
    // One look at a time: a reader may have acted (resume()) between a failure and its scheduling.
    this.cancel()
    const wakeAt = this.#wakeAt
    if (!this.isPaused() || wakeAt === undefined || this.#looks >= MAX_LOOKS) return
    const delay = Math.max(0, wakeAt - Date.now()) + WAKE_SLACK_MS * 2 ** this.#looks
    this.#timer = setTimeout(
      () => {
        // A deadline farther than one timer can wait is reached in laps, none of them a look.
        if (Date.now() < wakeAt) return this.schedule()
        this.#looks++
        this.look()
      },
      Math.min(delay, MAX_TIMER_MS),
    )
  }

  cancel(): void {
    clearTimeout(this.#timer)
  }
}
