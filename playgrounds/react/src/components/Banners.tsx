import { copy, runNotice, runNoticeShown, testIds } from '@stepstream/playground-shared'
import type { ConnectionStatus, WorkflowErrorInfo } from '@stepstream/react'

interface BannersProps {
  connection: ConnectionStatus
  error: WorkflowErrorInfo | null
  canResume: boolean
  onResume: () => void
}

export function Banners({ connection, error, canResume, onResume }: BannersProps) {
  const resume = canResume ? (
    <button data-testid={testIds.resumeButton} type="button" onClick={onResume}>
      {copy.resume}
    </button>
  ) : null
  // A stop someone asked for, or a run that no longer exists, is said plainly; a real error is an alert.
  const notice = runNotice(error)
  return (
    <>
      {/* Drawn at every cut, outside the live region: a screen reader hears of an outage once it lasts (announce.ts). */}
      {connection === 'reconnecting' ? (
        <div className="banner warning" data-testid={testIds.reconnecting}>
          {copy.reconnecting}
        </div>
      ) : null}
      {/* Always on the page: a live region announces what appears in it, not a region that appears. */}
      <div className="banners" role="status">
        {!error && canResume ? (
          // No error: this tab let go of the run (Disconnect), which goes on without it.
          <div className="banner info" data-testid={testIds.disconnected}>
            <span>{copy.disconnected}</span>
            {resume}
          </div>
        ) : null}
        {notice ? (
          <div className="banner notice" data-testid={runNoticeShown[notice].testId}>
            {runNoticeShown[notice].text}
          </div>
        ) : null}
      </div>
      {/* An alert is announced as it appears. */}
      {error && !notice ? (
        <div className="banner error" data-testid={testIds.error} role="alert">
          <span>
            {copy.errorTitle}: <code>{error.code}</code> {error.message}
          </span>
          {resume}
        </div>
      ) : null}
    </>
  )
}
