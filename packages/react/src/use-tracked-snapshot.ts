import { useCallback, useRef, useSyncExternalStore } from 'react'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'

/** What the hook needs from a client: the current state and change notifications. */
export interface SnapshotSource<T> {
  readonly state: T
  subscribe(listener: (state: T) => void): () => void
}

export interface TrackedSnapshot<T> {
  /** The state to render with: the source's state as of this render. */
  snapshot: T
  /** The fields read so far; only their changes re-render the component. */
  tracked: Set<keyof T>
}

function changedAny<T>(fields: ReadonlySet<keyof T>, before: T, after: T): boolean {
  for (const field of fields) if (!Object.is(before[field], after[field])) return true
  return false
}

/**
 * `useSyncExternalStore` over the source, with notifications filtered by the
 * fields the component has read: a change to any other field does not wake
 * React at all. `getSnapshot` still returns the source's state as it is, so
 * whenever the component does render (its own update, a parent's, or React's
 * own consistency check) it sees every field current and nothing tears.
 */
export function useTrackedSnapshot<T>(source: SnapshotSource<T>, serverSnapshot: T): TrackedSnapshot<T> {
  // Reading a field adds it and it stays (as TanStack Query's tracked
  // results do): dropping a field risks a missed update, keeping one only
  // costs a render.
  const tracked = useRef<Set<keyof T> | null>(null)
  tracked.current ??= new Set()
  const fields = tracked.current
  // The state the committed UI shows; changes are measured against it.
  const shown = useRef<T | null>(null)

  const subscribe = useCallback(
    (onStoreChange: () => void) =>
      source.subscribe((state) => {
        const before = shown.current
        if (before === null || changedAny(fields, before, state)) onStoreChange()
      }),
    [source, fields],
  )
  const getSnapshot = useCallback(() => source.state, [source])
  // On the server and during hydration, the state the server rendered: a
  // client there never fetches, so it is the initial one. A shared client
  // the page already put to work (an attach before hydrateRoot) is shown
  // once hydrated, instead of failing hydration.
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, () => serverSnapshot)

  useIsomorphicLayoutEffect(() => {
    shown.current = snapshot
  })

  return { snapshot, tracked: fields }
}
