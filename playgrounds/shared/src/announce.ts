import type { ConnectionStatus, WorkflowClientState } from '@stepstream/client'
import { copy, type ArticleOutput } from './demo.js'
import { isRunGone } from './run-controls.js'
import { formatClockTime } from './sleep.js'

type AnnouncedFields = Pick<WorkflowClientState<ArticleOutput>, 'status' | 'error' | 'pendingApproval' | 'pendingSignal' | 'output'>

/**
 * What the run's announcement (a polite live region, always on the page,
 * visually hidden inside the run status) says: the moments a person has to
 * hear about without looking, since the cards that show them appear out of
 * the reader's way. The run stops to wait for them (an approval, a signal),
 * sleeps, or ends with its output. Nothing while it runs (the streaming
 * text would be a flood), and nothing for an error or a stop: their alert
 * (for a stop, its plain notice: runNotice) says it already. The same text
 * drawn again is not news and is not announced again; a new pause (the
 * revised draft's approval) is.
 *
 * `sleepingDeadline` is what `sleepingUntil` gives (null when not asleep).
 */
export function runAnnouncement(state: AnnouncedFields, sleepingDeadline: string | null): string {
  // A pause of a run the server no longer knows is no wait: its notice says so (isRunGone).
  if (state.status === 'paused' && !isRunGone(state)) {
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

/**
 * How long the connection may stay lost before a screen reader hears of it.
 * A flaky network cuts a stream every second or so, and the client is back
 * within a few hundred milliseconds each time, with no word lost: "connection
 * lost" at every cut, read out over whatever the person was listening to,
 * tells them nothing they can act on. An outage that lasts past this is news.
 */
export const outageGraceMs = 1500

export interface ConnectionAnnouncer {
  /** Every connection status the client publishes, in order. */
  update(connection: ConnectionStatus): void
  /** Drops the pending timer (the page or component goes away). */
  dispose(): void
}

/**
 * What the connection's live region says (through `say`, only when it
 * changes): an outage once, when it has lasted `graceMs`, and then its
 * recovery once, as the stream opens again; a cut resumed sooner, nothing.
 * The visual reconnecting banner is drawn at every cut, outside any live
 * region: whoever looks sees each one. An announced outage that ends without
 * recovering (the client gives up, or the person stops or lets go of the run)
 * is taken back silently: its alert or banner says what happened instead.
 */
export function connectionAnnouncer(say: (text: string) => void, graceMs = outageGraceMs): ConnectionAnnouncer {
  let said = ''
  let outageTold = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tell = (text: string) => {
    if (text === said) return
    said = text
    say(text)
  }
  const cancel = () => {
    clearTimeout(timer)
    timer = undefined
  }
  return {
    update(connection) {
      if (connection === 'reconnecting') {
        // The client stays `reconnecting` across failed attempts: the grace counts from the drop.
        if (!outageTold && !timer) {
          timer = setTimeout(() => {
            timer = undefined
            outageTold = true
            tell(copy.reconnecting)
          }, graceMs)
        }
        return
      }
      cancel()
      // `connecting` is an attempt still on its way: the outage is not over yet.
      if (connection === 'connecting') return
      if (connection === 'open' && outageTold) tell(copy.connectionRestored)
      else if (connection === 'idle' || outageTold) tell('')
      outageTold = false
    },
    dispose: cancel,
  }
}
