import { fetchWorkflowEvents, type WorkflowClientState, type WorkflowConnection } from '@stepstream/client'

/** Where every playground finds the demo server: same origin (Vite proxies it in dev). */
export const workflowEndpoint = '/api/workflow'

/** The header that asks the playground server to cut this request's stream at a random point. */
export const flakyHeader = 'x-stepstream-flaky'

/**
 * The HTTP connection to the demo server. `isFlaky` is read per request, so
 * flipping the switch affects the very next request without a new client
 * (and `followAgainForFlakySwitch` makes that request at once).
 */
export function playgroundConnection(isFlaky: () => boolean): WorkflowConnection {
  return fetchWorkflowEvents(workflowEndpoint, {
    headers: (): Record<string, string> => (isFlaky() ? { [flakyHeader]: '1' } : {}),
  })
}

/**
 * Whether moving the flaky switch has to follow the run again for it to
 * apply now. The switch rides on each request as a header, and a stream this
 * tab is reading was asked for before it moved: left alone, the switch would
 * only apply from the next request (a reconnect, the next action), which a
 * healthy stream never makes, so ticking it mid-run seemed to do nothing and
 * unticking it still let the stream in hand be cut. While this tab reads a
 * running run's stream, the app calls `resume()`: the stream is replaced by
 * one asked for from the cursor with the new setting (no event lost or
 * applied twice), and the status only passes through `connecting`.
 *
 * Not otherwise: while reconnecting the next attempt already reads the new
 * setting; a request still on its way (`connecting`) may be a start the
 * server has not taken on yet, or an approval nobody answered, which a resume
 * would cut; a paused or ended run has no stream, and its next request (an
 * approval, a signal, the look a sleep takes at its deadline) reads it.
 */
export function followAgainForFlakySwitch(state: Pick<WorkflowClientState, 'status' | 'connection'>): boolean {
  return state.status === 'running' && state.connection === 'open'
}
