import { useRef, type RefObject } from 'react'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'

/**
 * A ref that holds the value of the last committed render, for code that runs
 * later (cleanups, callbacks) and must not see a stale closure. Written after
 * commit, not during render, so a render React throws away leaves no trace.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value)
  useIsomorphicLayoutEffect(() => {
    ref.current = value
  })
  return ref
}
