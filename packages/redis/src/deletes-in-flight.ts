/**
 * This store's `deleteRun` calls in flight, so a deletion reaches the
 * deletion listeners once. A delete tells them when its script answers; but
 * a tail of the run may end first, as another read of this store (a
 * subscribe looking again, a getRun) finds the run gone, and the tail tells
 * them then. The delete stays quiet if the tail did while it was in flight.
 */
export class DeletesInFlight {
  private readonly pending = new Map<string, number>()
  private readonly told = new Set<string>()

  /** A tail of `runId` ended and told the listeners. */
  heard(runId: string): void {
    if (this.pending.has(runId)) this.told.add(runId)
  }

  /** Runs a delete of `runId`; `told` says whether a tail told the listeners meanwhile. */
  async run<T>(runId: string, work: () => Promise<T>): Promise<{ result: T; told: boolean }> {
    this.pending.set(runId, (this.pending.get(runId) ?? 0) + 1)
    try {
      const result = await work()
      return { result, told: this.told.has(runId) }
    } finally {
      const left = this.pending.get(runId)! - 1
      if (left > 0) this.pending.set(runId, left)
      else {
        this.pending.delete(runId)
        this.told.delete(runId)
      }
    }
  }
}
