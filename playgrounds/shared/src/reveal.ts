/**
 * Brings a card that asks the person for something (an approval, a signal)
 * into view as it appears. On a narrow screen the columns stack, and the
 * card sits below the form, the run status and the timeline: out of view
 * when the run pauses for it, with nothing on screen saying so. Scrolled the
 * least that shows it whole (`nearest`: not at all when it is in view
 * already, as on a wide screen), smoothly unless the person asked for less
 * motion. Focus is left where it is: the run status announces the pause, and
 * focus moved into the card would take the person from what they were doing.
 */
export function revealCard(card: Element): void {
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches
  card.scrollIntoView({ block: 'nearest', behavior: reduceMotion ? 'auto' : 'smooth' })
}
