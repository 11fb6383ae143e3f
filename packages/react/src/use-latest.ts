import { useInsertionEffect, useRef, type RefObject } from 'react'

/**
 * A ref that holds the value of the last committed render, for code that runs
 * later (cleanups, callbacks, actions) and must not see a stale closure.
 * Written after commit, not during render, so a render React throws away
 * leaves no trace; in an insertion effect, which React runs before every
 * layout effect of the commit, so a child's layout effect (which runs before
 * its parent's) already sees this commit's value.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value)
  useInsertionEffect(() => {
    ref.current = value
  })
  return ref
}
