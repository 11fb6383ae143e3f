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
  return (
    <>
      <Show when={props.connection === 'reconnecting'}>
        <div class="banner warning" data-testid={testIds.reconnecting} role="status">
          {copy.reconnecting}
        </div>
      </Show>
      <Show when={props.error}>
        {(error) => (
          <div class="banner error" data-testid={testIds.error} role="alert">
            <span>
              {copy.errorTitle}: <code>{error().code}</code> {error().message}
            </span>
            <Show when={props.canResume}>
              <button data-testid={testIds.resumeButton} type="button" onClick={() => props.onResume()}>
                {copy.resume}
              </button>
            </Show>
          </div>
        )}
      </Show>
    </>
  )
}
