import { copy, runStatusId, testIds } from '@stepstream/playground-shared'
import type { ConnectionStatus, WorkflowStatus } from '@stepstream/react'

export function StatusBar({ status, connection, runId }: { status: WorkflowStatus; connection: ConnectionStatus; runId: string | null }) {
  return (
    <div className="panel status-bar" id={runStatusId} tabIndex={-1} role="group" aria-label={copy.runStatusLabel} data-testid={testIds.statusBar}>
      <span>status</span>
      <span className="badge" data-testid={testIds.status} data-value={status}>
        {status}
      </span>
      <span>connection</span>
      <span className="badge" data-testid={testIds.connection} data-value={connection}>
        {connection}
      </span>
      <span className="run-id" data-testid={testIds.runId}>
        {runId ?? ''}
      </span>
    </div>
  )
}
