import { copy, testIds } from '@stepstream/playground-shared'
import type { ConnectionStatus, WorkflowErrorInfo } from '@stepstream/react'

interface BannersProps {
  connection: ConnectionStatus
  error: WorkflowErrorInfo | null
  canResume: boolean
  onResume: () => void
}

export function Banners({ connection, error, canResume, onResume }: BannersProps) {
  return (
    <>
      {connection === 'reconnecting' ? (
        <div className="banner warning" data-testid={testIds.reconnecting} role="status">
          {copy.reconnecting}
        </div>
      ) : null}
      {error ? (
        <div className="banner error" data-testid={testIds.error} role="alert">
          <span>
            {copy.errorTitle}: <code>{error.code}</code> {error.message}
          </span>
          {canResume ? (
            <button data-testid={testIds.resumeButton} type="button" onClick={onResume}>
              {copy.resume}
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  )
}
