import { copy, runNotice, runNoticeShown, testIds } from '@stepstream/playground-shared'
import type { ConnectionStatus, WorkflowErrorInfo } from '@stepstream/solid'
import { Show } from 'solid-js'

interface BannersProps {
  connection: ConnectionStatus
  error: WorkflowErrorInfo | null
  canResume: boolean
  onResume: () => void
}

export function Banners(props: BannersProps) {
  // A function, not an element: Solid nodes are created once, and each banner needs its own button.
  const resume = () => (
    <button data-testid={testIds.resumeButton} type="button" onClick={() => props.onResume()}>
      {copy.resume}
    </button>
  )
  // A stop someone asked for, or a run that no longer exists, is said plainly; a real error is an alert.
  const notice = () => runNotice(props.error)
  return (
    <>
      {/* Drawn at every cut, outside the live region: a screen reader hears of an outage once it lasts (announce.ts). */}
      <Show when={props.connection === 'reconnecting'}>
        <div class="banner warning" data-testid={testIds.reconnecting}>
          {copy.reconnecting}
        </div>
      </Show>
      {/* Always on the page: a live region announces what appears in it, not a region that appears. */}
      <div class="banners" role="status">
        {/* No error: this tab let go of the run (Disconnect), which goes on without it. */}
        <Show when={!props.error && props.canResume}>
          <div class="banner info" data-testid={testIds.disconnected}>
            <span>{copy.disconnected}</span>
            {resume()}
          </div>
        </Show>
        <Show when={notice()}>
          {(notice) => (
            <div class="banner notice" data-testid={runNoticeShown[notice()].testId}>
              {runNoticeShown[notice()].text}
            </div>
          )}
        </Show>
      </div>
      {/* An alert is announced as it appears. */}
      <Show when={!notice() && props.error}>
        {(error) => (
          <div class="banner error" data-testid={testIds.error} role="alert">
            <span>
              {copy.errorTitle}: <code>{error().code}</code> {error().message}
            </span>
            <Show when={props.canResume}>{resume()}</Show>
          </div>
        )}
      </Show>
    </>
  )
}
