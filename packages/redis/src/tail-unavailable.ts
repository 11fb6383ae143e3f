/**
 * A subscription refused because the live tail that would read its run
 * cannot read: its blocking reads failed this many times in a row, backing
 * off between tries (`cause`: the last failure). The `RunStore` contract
 * reports errors through its promises, so the subscriber hears of it here
 * rather than waiting on a tail that delivers nothing. The subscribers the
 * tail already has are given it too, through `SubscribeOptions.onFailure`,
 * and end; one subscribed without it stays, and gets every event once a
 * read succeeds again.
 */
export class LiveTailUnavailableError extends Error {
  override name = 'LiveTailUnavailableError'

  constructor(failures: number, cause: unknown) {
    super(`The live tail cannot read from Redis (${failures} reads in a row failed): ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}
