/** How a dropped connection is resumed: exponential backoff with jitter (defaults 5, 250 ms, 5 s). */
export interface ReconnectOptions {
  /** Consecutive failed attempts allowed after a drop before giving up (default 5); an attempt that delivers events resets the count. */
  maxAttempts: number
  /** The delay before the first retry, doubled for each further one (default 250). */
  baseDelayMs: number
  /** The longest delay between attempts (default 5000); a server's `retry:` may ask for longer. */
  maxDelayMs: number
}

export const DEFAULT_RECONNECT: ReconnectOptions = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 5000 }

/**
 * The policy for `reconnect` options, each field left out (or given as
 * `undefined` or NaN, e.g. from an unset setting) taking its default: a plain
 * spread would let `maxAttempts: undefined` retry forever, without a delay.
 */
export function reconnectPolicy(options: Partial<ReconnectOptions> = {}): ReconnectOptions {
  const pick = (value: number | undefined, fallback: number) => (typeof value === 'number' && !Number.isNaN(value) ? value : fallback)
  return {
    maxAttempts: pick(options.maxAttempts, DEFAULT_RECONNECT.maxAttempts),
    baseDelayMs: pick(options.baseDelayMs, DEFAULT_RECONNECT.baseDelayMs),
    maxDelayMs: pick(options.maxDelayMs, DEFAULT_RECONNECT.maxDelayMs),
  }
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay is
 * fixed, half random, so a fleet of clients dropped together does not
 * reconnect in lockstep, yet no client retries instantly.
 */
export function backoffDelay(failures: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, failures - 1))
  return exponential / 2 + random() * (exponential / 2)
}

/** setTimeout fires at once for a longer delay (it is a 32-bit signed int). */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** Resolves after `ms`, or as soon as `signal` aborts; leaves no timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

function ignore(): void {}

/** Resolves once `promise` settles, either way, or after `ms`; leaves no timer behind. */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  const done = new AbortController()
  await Promise.race([promise.then(ignore, ignore), sleep(ms, done.signal)])
  done.abort()
}
