/**
 * The waits between a failing read's tries: doubling from `firstMs` up to
 * `maxMs`, each drawn between half and all of that ("equal jitter"), so the
 * lanes of every process that lost the same node do not come back in step.
 * A read that succeeds resets it.
 */
export class Backoff {
  private failures = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private endWait: (() => void) | undefined

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {}

  /** Tries that failed in a row since the last reset. */
  get failuresInARow(): number {
    return this.failures
  }

  /** Counts a failure and waits before the next try (`cancel` ends the wait early). */
  async afterFailure(): Promise<void> {
    // The exponent is bounded: 2 ** 1100 is Infinity, which min() would still cap, but needlessly.
    const ceiling = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures, 32))
    this.failures++
    await new Promise<void>((resolve) => {
      this.endWait = resolve
      this.timer = setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2))
    })
    this.endWait = undefined
  }

  reset(): void {
    this.failures = 0
  }

  /** Ends a wait under way at once (the lane closed: no timer keeps the process up). */
  cancel(): void {
    clearTimeout(this.timer)
    this.endWait?.()
  }
}
