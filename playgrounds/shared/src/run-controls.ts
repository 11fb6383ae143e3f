import type { WorkflowClientState, WorkflowErrorInfo } from '@stepstream/client'
import { copy, testIds, type TestId } from './demo.js'

type RunFields = Pick<WorkflowClientState, 'status' | 'connection' | 'error' | 'lastEventIndex' | 'runId'>

/**
 * The server has taken the run on: it answered with a stream, or events of
 * the run were applied. Until then (a start still on its way) the run may
 * not exist at all: a refused or lost start creates none.
 */
export function serverHasRun(state: Pick<WorkflowClientState, 'connection' | 'lastEventIndex'>): boolean {
  return state.connection === 'open' || state.lastEventIndex >= 0
}

/**
 * The server does not know the run (any more): it expired, or the server
 * restarted, and an action on it (Approve, say) was refused so. The client
 * puts the run back where it was (paused, its approval pending), as it does
 * for any refused answer; the page must not: the notice says to start a new
 * one, so the run stops counting as live and its pause is not offered.
 */
export function isRunGone(state: Pick<WorkflowClientState, 'error'>): boolean {
  return runNotice(state.error) === 'gone'
}

/** The form only makes sense while nothing is in flight (a run the server no longer knows is not). */
export function isLive(state: Pick<WorkflowClientState, 'status' | 'error'>): boolean {
  return (state.status === 'running' || state.status === 'paused') && !isRunGone(state)
}

type PauseShown = Pick<WorkflowClientState, 'error' | 'pendingApproval' | 'pendingSignal'>

/** The approval card's approval: none for a run the server no longer knows (isRunGone), whose answer could only be refused again. */
export function shownApproval(state: PauseShown): PauseShown['pendingApproval'] {
  return isRunGone(state) ? null : state.pendingApproval
}

/** The signal card's signal: none for a run the server no longer knows (isRunGone). */
export function shownSignal(state: PauseShown): PauseShown['pendingSignal'] {
  return isRunGone(state) ? null : state.pendingSignal
}

/**
 * This tab lost its connection before the run reached a pause or an end
 * (the client gave up reconnecting). The run itself likely goes on on the
 * server: it can be followed again, or stopped.
 */
export function lostConnection(state: RunFields): boolean {
  return state.connection === 'closed' && state.error?.code === 'connection_lost'
}

/**
 * Resume helps only when this tab's connection is closed while the run may
 * still go on: after a lost connection, or a `disconnect()` mid-run (status
 * still `running`). Not for an idle client, an open stream, or a run that
 * finished, failed, was aborted or was never accepted.
 */
export function canResume(state: RunFields): boolean {
  return lostConnection(state) || (state.connection === 'closed' && state.status === 'running')
}

/**
 * Disconnect closes this tab's connection and nothing else: unlike Stop, the
 * run goes on on the server. It is offered only while there is a connection
 * to close on a running run, so what it leaves (connection `closed`, status
 * still `running`) is exactly what `canResume` offers to pick up from the
 * cursor, with no event lost or applied twice. Not while paused: the server
 * ends the stream at a pause, and an approval or signal card acts without
 * one; cutting the look a sleeping run takes at its deadline would leave a
 * pause that nothing offers to follow again. Not for an attach that has
 * applied no event yet (status `idle`): Resume could not take that back. Nor
 * for a start still on its way to the server: the run may never exist, so
 * the banner would promise a run that goes on and Resume would find none.
 */
export function canDisconnect(state: RunFields): boolean {
  return isStreaming(state) && serverHasRun(state)
}

/** New run clears the run (or the error) shown: offered when there is one and it is not in flight. */
export function canReset(state: RunFields): boolean {
  return !isLive(state) && (state.status !== 'idle' || state.runId !== null)
}

/** Stop aborts the run on the server: also after a lost connection, when the run likely still goes on. */
export function canStop(state: RunFields): boolean {
  return isLive(state) || lostConnection(state)
}

/** The run streams and this tab reads it (or is about to): after Disconnect nothing comes in, so no caret. */
export function isStreaming(state: RunFields): boolean {
  const reading = state.connection === 'connecting' || state.connection === 'open' || state.connection === 'reconnecting'
  return reading && state.status === 'running'
}

/**
 * What the client reports as an error but is none to alarm anyone with, as
 * a neutral status (a polite live region, no error colours) instead of the
 * red alert: a run someone stopped on purpose (this tab's Stop, or
 * another's), and a run the server does not know (any more: it expired, or
 * the server restarted), typically from a reload of an old address, which
 * the app then drops from the address bar (`forgetGoneRun`). Null for a real
 * error, which stays an alert.
 */
export type RunNotice = 'stopped' | 'gone'

export function runNotice(error: Pick<WorkflowErrorInfo, 'code'> | null): RunNotice | null {
  if (error?.code === 'aborted') return 'stopped'
  if (error?.code === 'run_not_found') return 'gone'
  return null
}

/** A notice's words and test id. */
export const runNoticeShown: Record<RunNotice, { text: string; testId: TestId }> = {
  stopped: { text: copy.stopped, testId: testIds.stopped },
  gone: { text: copy.runGone, testId: testIds.runGone },
}

/**
 * An answer to the pause shown (Approve, Request changes, Publish now) is on
 * its way: the client reads the run as running again, while the card stays
 * up until the server's answer moves the run on. Its buttons are not offered
 * meanwhile: the same one again would only send the answer twice, and the
 * other decision would overturn the one the person gave (a Request changes
 * sent after Approve cuts it and wins). A refused answer, or Disconnect
 * before any answer, puts the run back on its pause, and the card offers
 * them again. (Only asked while a card is up: it is up on a pause.)
 */
export function isAnswering(state: Pick<WorkflowClientState, 'status'>): boolean {
  return state.status === 'running'
}
