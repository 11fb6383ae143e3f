import { copy, runStatusId, testIds, type RunNotice } from '@stepstream/playground-shared'
import type { ConnectionStatus, WorkflowStatus } from '@stepstream/solid'

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

export function StatusBar(props: StatusBarProps) {
  return (
    <div class="panel status-bar" id={runStatusId} tabIndex={-1} role="group" aria-label={copy.runStatusLabel} data-testid={testIds.statusBar}>
      <span>status</span>
      <span class="badge" data-testid={testIds.status} data-value={props.status} data-notice={props.notice ?? undefined}>
        {props.status}
      </span>
      <span>connection</span>
      <span class="badge" data-testid={testIds.connection} data-value={props.connection}>
        {props.connection}
      </span>
      <span class="run-id" data-testid={testIds.runId}>
        {props.runId ?? ''}
      </span>
      {/* Always on the page, so what appears in them is announced. */}
      <p class="visually-hidden" role="status" data-testid={testIds.runAnnouncement}>
        {props.announcement}
      </p>
      <p class="visually-hidden" role="status" data-testid={testIds.connectionAnnouncement}>
        {props.connectionAnnouncement}
      </p>
    </div>
  )
}
