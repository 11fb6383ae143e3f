import type { WorkflowClientState } from '@stepstream/client'
import { copy, type ArticleOutput } from './demo.js'
import { formatClockTime } from './sleep.js'

type AnnouncedFields = Pick<WorkflowClientState<ArticleOutput>, 'status' | 'pendingApproval' | 'pendingSignal' | 'output'>

/**
 * What the run's announcement (a polite live region, always on the page,
 * visually hidden inside the run status) says: the moments a person has to
 * hear about without looking, since the cards that show them appear out of
 * the reader's way. The run stops to wait for them (an approval, a signal),
 * sleeps, or ends with its output. Nothing while it runs (the streaming
 * text would be a flood), and nothing for an error or a stop: their alert
 * says it already. The same text drawn again is not news and is not
 * announced again; a new pause (the revised draft's approval) is.
 *
 * `sleepingDeadline` is what `sleepingUntil` gives (null when not asleep).
 */
export function runAnnouncement(state: AnnouncedFields, sleepingDeadline: string | null): string {
  if (state.status === 'paused') {
    if (state.pendingApproval) return `${copy.waitingForApproval}: ${state.pendingApproval.title}`
    if (state.pendingSignal) return `${copy.signalTitle}: ${state.pendingSignal.signalName}`
    if (sleepingDeadline) return `${copy.sleepTitle}: ${copy.sleepUntil} ${formatClockTime(sleepingDeadline)}`
    return ''
  }
  if (state.status === 'finished' && state.output) {
    return state.output.ok ? `${copy.finishedPublished} "${state.output.article.title}"` : `${copy.finishedUnpublished}: ${state.output.reason}`
  }
  return ''
}
