/**
 * Holds a run's executor lease while this process drives the run: renews it
 * every third of its TTL, and reports when it was lost (the process stalled
 * past the TTL and someone else settled the run) or when another process
 * asked for an abort (also after the lease was let go: see `renew`).
 */
import type { RunStore } from '../store/run-store.js'

export interface LeaseEvents {
  lost: () => void
  abortRequested: () => void
}

export class LeaseKeeper {
  private timer: ReturnType<typeof setInterval> | undefined
  private released = false
  /**
   * A request a periodic renewal handed over that no look has answered yet.
   * The renewal also reports it (`abortRequested`), but that report waits
   * for the run's lock: a look made under the lock (the executor pausing)
   * must see it now, or the pause lets the run go with the request taken
   * from the store, and a decision applied elsewhere meanwhile would win.
   */
  private handedOver = false

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    readonly owner: string,
    private readonly events: LeaseEvents,
  ) {}

  /** Starts renewing a lease the caller already acquired. */
  start(): void {
    if (this.timer || this.released) return
    this.timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(this.store.leaseTtlMs / 3)))
    // Renewal must not keep an otherwise idle process alive.
    if (typeof this.timer === 'object' && 'unref' in this.timer) this.timer.unref()
  }

  /** Stops renewing and gives the lease up; idempotent. */
  async release(): Promise<void> {
    if (this.released) return
    this.stop()
    this.released = true
    await this.store.releaseLease(this.runId, this.owner).catch(() => {})
  }

  /**
   * Renews now and says whether another process asked for an abort. Before
   * the run stops being this process's (a pause), a request that would
   * otherwise only be seen at the next renewal must be seen now.
   */
  async abortRequestedNow(): Promise<boolean> {
    if (this.released) return false
    if (this.takeHandedOver()) return true
    try {
      const renewal = await this.store.renewLease(this.runId, this.owner)
      // A periodic renewal answered meanwhile may have taken the request first.
      return (renewal.held && renewal.abortRequested) || this.takeHandedOver()
    } catch {
      // Unreachable store: the pause's own (fenced) writes will fail the same way.
      return this.takeHandedOver()
    }
  }

  private takeHandedOver(): boolean {
    const handedOver = this.handedOver
    this.handedOver = false
    return handedOver
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  private async renew(): Promise<void> {
    let renewal
    try {
      renewal = await this.store.renewLease(this.runId, this.owner)
    } catch {
      // A failed round trip is not a lost lease; the next tick retries well within the TTL.
      return
    }
    // The store hands a request over once, to the holder: it is this run's
    // even if the lease was let go (a pause) while the answer was on its way.
    if (renewal.held && renewal.abortRequested) {
      this.handedOver = true
      this.events.abortRequested()
    }
    if (this.released || renewal.held) return
    this.stop()
    this.released = true
    this.events.lost()
  }
}
