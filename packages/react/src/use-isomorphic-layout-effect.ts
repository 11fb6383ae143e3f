import { useEffect, useLayoutEffect } from 'react'

/**
 * A layout effect in the browser, so the client has the latest options before
 * any event handler can run; a plain (never run) effect on the server, where
 * React 18 warns about layout effects.
 */
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect
