/**
 * Settles as `work` does, or rejects with the abort reason as soon as
 * `signal` fires. An agent is handed the run's signal, but may not honour it
 * (an SDK call that takes none): the body must still unwind at the abort, its
 * `finally` blocks run, instead of hanging on the agent for as long as it
 * takes (or forever). What the agent does afterwards is ignored: the run is
 * closed by then, so nothing it produces is written.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    // Handles a late rejection too, so an abandoned agent is never an unhandled rejection.
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
