import { copy, runStatusId, testIds, type RunNotice } from '@stepstream/playground-shared'
import type { ConnectionStatus, WorkflowStatus } from '@stepstream/react'

interface StatusBarProps {
  status: WorkflowStatus
  connection: ConnectionStatus
  runId: string | null
  /** What the run's error is said as, when it is none (runNotice): the badge is not drawn as a failure then. */
  notice: RunNotice | null
  /** What the run's live region says (runAnnouncement). */
  announcement: string
  /** What the connection's live region says (connectionAnnouncer). */
  connectionAnnouncement: string
}

export function StatusBar({ status, connection, runId, notice, announcement, connectionAnnouncement }: StatusBarProps) {
  return (
    <div className="panel status-bar" id={runStatusId} tabIndex={-1} role="group" aria-label={copy.runStatusLabel} data-testid={testIds.statusBar}>
      <span>status</span>
      <span className="badge" data-testid={testIds.status} data-value={status} data-notice={notice ?? undefined}>
        {status}
      </span>
      <span>connection</span>
      <span className="badge" data-testid={testIds.connection} data-value={connection}>
        {connection}
      </span>
      <span className="run-id" data-testid={testIds.runId}>
        {runId ?? ''}
      </span>
      {/* Always on the page, so what appears in them is announced. */}
      <p className="visually-hidden" role="status" data-testid={testIds.runAnnouncement}>
        {announcement}
      </p>
      <p className="visually-hidden" role="status" data-testid={testIds.connectionAnnouncement}>
        {connectionAnnouncement}
      </p>
    </div>
  )
}
