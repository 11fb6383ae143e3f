import { fetchWorkflowEvents, type WorkflowClientState, type WorkflowConnection } from '@stepstream/client'
import { copy } from './demo.js'

/** Where every playground finds the demo server: same origin (Vite proxies it in dev). */
export const workflowEndpoint = '/api/workflow'

/** The header that asks the playground server to cut this request's stream at a random point. */
export const flakyHeader = 'x-stepstream-flaky'

/**
 * How the demo server cuts streams: every one (`always`, as started with
 * `STEPSTREAM_FLAKY=1`), those whose request carries `flakyHeader`
 * (`on-request`, the default), or none.
 */
export type ServerFlakyMode = 'always' | 'on-request' | 'off'

/** Where the demo server says its mode: `GET` answers `{ mode }`. */
export const flakyModeEndpoint = '/api/flaky'

/**
 * Asks the demo server its mode. Null when it does not say (a network error,
 * a server without the route): the switch then shows this tab's setting,
 * which is what such a server honours.
 */
export async function fetchServerFlakyMode(): Promise<ServerFlakyMode | null> {
  try {
    const response = await fetch(flakyModeEndpoint)
    const { mode } = (await response.json()) as { mode?: unknown }
    return mode === 'always' || mode === 'on-request' || mode === 'off' ? mode : null
  } catch {
    return null
  }
}

/**
 * Asks the server its mode again and tells `show`, unless it does not answer
 * (a server restarting): the mode shown last is a better guess than none.
 */
export async function refreshServerFlakyMode(show: (mode: ServerFlakyMode) => void): Promise<void> {
  const mode = await fetchServerFlakyMode()
  if (mode !== null) show(mode)
}

/**
 * Keeps `show` told the server's mode: asked at once, and again each time
 * this window comes back into view or focus (and each app asks again as this
 * tab moves the switch). A server's mode is fixed for its life, but the demo
 * server can be restarted with another (with or without STEPSTREAM_FLAKY=1)
 * while a page stays open, and read once, the switch went on saying what the
 * server no longer did. (Another tab moving its switch changes nothing here:
 * it rides on that tab's own requests, and cuts only its streams.) Returns a
 * function that stops watching.
 */
export function watchServerFlakyMode(show: (mode: ServerFlakyMode) => void): () => void {
  const refresh = () => void refreshServerFlakyMode(show)
  const onVisible = () => {
    if (document.visibilityState === 'visible') refresh()
  }
  refresh()
  window.addEventListener('focus', refresh)
  document.addEventListener('visibilitychange', onVisible)
  return () => {
    window.removeEventListener('focus', refresh)
    document.removeEventListener('visibilitychange', onVisible)
  }
}

/** What the Flaky network checkbox shows. */
export interface FlakySwitch {
  checked: boolean
  /** The server decides, whatever this tab asks: ticking it would change nothing. */
  disabled: boolean
  /** The checkbox's label: it says why when the server decides. */
  label: string
}

/**
 * The switch shows what the server does to this tab's streams, not only what
 * the tab asked for: a server started with `STEPSTREAM_FLAKY=1` cuts them
 * all, so the switch is on, and fixed, with its label naming the reason (a
 * disabled control says nothing about why by itself).
 */
export function flakySwitch(tabAsks: boolean, server: ServerFlakyMode | null): FlakySwitch {
  if (server === 'always') return { checked: true, disabled: true, label: copy.flakyAlwaysLabel }
  if (server === 'off') return { checked: false, disabled: true, label: copy.flakyOffLabel }
  return { checked: tabAsks, disabled: false, label: copy.flakyLabel }
}

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
