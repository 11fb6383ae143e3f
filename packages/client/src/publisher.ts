/**
 * Coalesces state publications: at most one per `throttleMs`, and the latest
 * state always lands on the trailing edge. With `throttleMs` 0 every request
 * publishes at once (the caller already batches per network chunk).
 */
export class ThrottledPublisher {
  #timer: ReturnType<typeof setTimeout> | undefined
  #lastPublishedAt = Number.NEGATIVE_INFINITY

  readonly #publish: () => void
  #throttleMs: number

  constructor(publish: () => void, throttleMs: number) {
    this.#publish = publish
    this.#throttleMs = throttleMs
  }

  setThrottle(throttleMs: number): void {
    if (throttleMs === this.#throttleMs) return
    this.#throttleMs = throttleMs
    // A publication already waiting waits by the new throttle, not the old one.
    if (this.#timer !== undefined) {
      this.cancel()
      this.request()
    }
  }

  request(): void {
    if (this.#throttleMs <= 0) return this.flush()
    if (this.#timer !== undefined) return
    // Never longer than the throttle: a wall clock set back would otherwise hold the state for as long.
    const wait = Math.min(this.#lastPublishedAt + this.#throttleMs - Date.now(), this.#throttleMs)
    if (wait <= 0) return this.flush()
    this.#timer = setTimeout(() => this.flush(), wait)
  }

  flush(): void {
    this.cancel()
    this.#lastPublishedAt = Date.now()
    this.#publish()
  }

  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
