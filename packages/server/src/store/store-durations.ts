/** The longest wait a timer takes (2^31 − 1 ms, some 24.8 days): longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** The longest lease whose renewal (every third of it) a timer can wait for. */
export const MAX_LEASE_TTL_MS = 3 * MAX_TIMER_MS

/**
 * Refuses a store's `ttl` and `leaseTtl` when they mean no length of time,
 * with a `TypeError` naming the store, when the store is made. Such values
 * usually come from the environment (`Number(process.env.RUN_TTL)` is NaN
 * when it is unset), and taken as they are they would keep every run for
 * ever (ttl NaN), renew each lease every millisecond (leaseTtl NaN or
 * Infinity: a timer's longest wait is some 24.8 days), or refuse every start
 * (leaseTtl 0). Every store applies the same rule, as with `runRetentionMs`.
 */
export function assertStoreDurations(store: string, ttl: number, leaseTtl: number): void {
  if (!(ttl >= 0)) throw new TypeError(`${store}: ttl must be a number of milliseconds (Infinity keeps runs until deleteRun), not ${ttl}`)
  if (!(leaseTtl > 0 && leaseTtl <= MAX_LEASE_TTL_MS)) {
    throw new TypeError(`${store}: leaseTtl must be more than 0 and at most ${MAX_LEASE_TTL_MS} milliseconds, not ${leaseTtl}`)
  }
}
