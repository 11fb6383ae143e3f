import { copy, testIds } from '@stepstream/playground-shared'
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
  return (
    <>
      <Show when={props.connection === 'reconnecting'}>
        <div class="banner warning" data-testid={testIds.reconnecting} role="status">
          {copy.reconnecting}
        </div>
      </Show>
      <Show
        when={props.error}
        fallback={
          // No error: this tab let go of the run (Disconnect), which goes on without it.
          <Show when={props.canResume}>
            <div class="banner info" data-testid={testIds.disconnected} role="status">
              <span>{copy.disconnected}</span>
              {resume()}
            </div>
          </Show>
        }
      >
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
