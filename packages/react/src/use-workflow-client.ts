import { FollowedClient } from '@stepstream/client'
import { useEffect, useRef, useState } from 'react'
import type { UseWorkflowOptions } from './types.js'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'
import { useLatest } from './use-latest.js'

/**
 * The client behind one hook instance: the shared one if given, otherwise one
 * this hook creates once (lazy state, which React keeps, unlike `useMemo`),
 * replaces when `id` changes, keeps configured with the latest options, and
 * lets go of when it is no longer used. Which client the options follow, and
 * whether it is this hook's to let go of, is `FollowedClient`'s decision.
 */
export function useWorkflowClient<TInput, TOutput, TState>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): FollowedClient<TInput, TOutput, TState> {
  const [followed, setFollowed] = useState(() => new FollowedClient(options))

  let current = followed
  if (!followed.follows(options)) {
    // Adjusting state while rendering: React drops this render and renders
    // again at once with the new value. A client does nothing until an action
    // is called, so one made by a dropped render is simply collected. The one
    // left is let go of after the commit (below), not here.
    current = new FollowedClient(options)
    setFollowed(current)
  }

  useIsomorphicLayoutEffect(() => {
    // Every commit, so callbacks and options are never stale and the client
    // is never recreated for a new callback identity.
    current.configure(options)
  })

  useReleaseWhenUnused(current)

  return current
}

interface PendingRelease {
  /** Compared by identity only. */
  followed: object
  cancelled: boolean
  /** The state a client was let go in, if letting go cut something it was doing by itself (see releaseClient). */
  left?: object | undefined
}

/**
 * Lets go of a client this hook created once it no longer follows it: on
 * unmount, and when the options move on to another client (a new `id`,
 * another shared client, new own options after a shared one). It disconnects
 * it, or with `stopOnUnmount` stops it, as the last own options that applied
 * to that client said (a shared client is its owner's to let go of). The
 * release waits a microtask because StrictMode's simulated unmount is
 * followed synchronously by a remount with the same client, which cancels
 * it: a development-only double mount must neither drop the stream nor abort
 * the server run. A hidden `<Activity>` releases for real and keeps the
 * client; shown again, it resumes what the release cut (a stream, a paused
 * run's deadline look) if nothing happened to the client since.
 *
 * Unmounted (or hidden), the component gets none of the client's callbacks
 * from the cleanup on: not the state change letting go publishes, not a
 * stop's abort answer, not a finish already on its way. The client is muted,
 * not disposed, since React gives no way to tell an unmount from a hidden
 * `<Activity>` or StrictMode's simulated unmount, which come back to the same
 * client and unmute it. A client left for another (a new `id`) is let go of
 * as before, its callbacks still the mounted component's.
 */
function useReleaseWhenUnused<TInput, TOutput, TState>(followed: FollowedClient<TInput, TOutput, TState>): void {
  const pending = useRef<PendingRelease | null>(null)
  // The client of the last commit: still this one when the component unmounts or hides, the next after an id change.
  const latest = useLatest(followed)
  useEffect(() => {
    followed.mute(false)
    const previous = pending.current
    if (previous?.followed === followed) {
      previous.cancelled = true
      if (previous.left === followed.client.state) void followed.client.resume()
    }
    return () => {
      if (latest.current === followed) followed.mute(true)
      const release: PendingRelease = { followed, cancelled: false }
      pending.current = release
      queueMicrotask(() => {
        if (release.cancelled) return
        release.left = followed.release()
      })
    }
  }, [followed])
}
