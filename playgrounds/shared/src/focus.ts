/**
 * Where keyboard focus goes when the control that has it goes away.
 *
 * Many controls leave as they are pressed: Start and the topic field are
 * disabled while a run is live, Stop and Disconnect once there is nothing to
 * stop or let go of, New run once there is nothing to clear, and Approve,
 * Request changes, Publish now and Resume leave with their card or banner.
 * The browser then drops focus to <body>, and a keyboard or screen reader
 * user starts again from the top of the page, with no word about what the
 * press did.
 *
 * The rule, the same in every app and for every control (whether a press or
 * the run itself took it away, e.g. Disconnect disabled as the run pauses):
 * focus goes to the run's status region (`runStatusId`, tabindex=-1), never
 * to a guess at "the next" control. Why there:
 * - it is where the consequence of every one of those presses shows (running,
 *   paused, aborted, idle; the connection), and a screen reader reads it as
 *   focus lands on it;
 * - it is one fixed place, so where focus lands is predictable;
 * - it sits between the form and the run's cards in the tab order: Tab goes
 *   on to what the run asks for next (Resume, the approval card, the signal
 *   card), Shift+Tab back to the run controls (Stop, Start, …);
 * - it acts on nothing: an Enter pressed twice by habit cannot stop or
 *   approve a run, as moving focus onto the next button could.
 *
 * Focus the user put somewhere else meanwhile (a click, a Tab) is left alone.
 */

/** The id of the run's status region (one per page), focusable from script only (tabindex=-1). */
export const runStatusId = 'run-status-region'

function isGone(element: HTMLElement): boolean {
  return !element.isConnected || element.matches(':disabled')
}

/**
 * Watches the page (one call, at start-up, in each app's entry) and moves
 * focus to the run status when the focused control is removed or disabled.
 * Framework-agnostic: it follows focus and DOM changes, whichever framework
 * made them. Returns a function that stops watching.
 */
export function keepFocusOnTheRun(root: HTMLElement = document.body): () => void {
  let last: HTMLElement | null = null
  const onFocusIn = (event: FocusEvent) => {
    last = event.target instanceof HTMLElement ? event.target : null
  }
  const check = () => {
    if (!last || !isGone(last)) return
    const active = document.activeElement
    // Focus went elsewhere on purpose: not ours to move.
    if (active !== last && active !== null && active !== document.body) return
    last = null
    document.getElementById(runStatusId)?.focus()
  }
  root.addEventListener('focusin', onFocusIn)
  const observer = new MutationObserver(check)
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] })
  return () => {
    root.removeEventListener('focusin', onFocusIn)
    observer.disconnect()
  }
}
