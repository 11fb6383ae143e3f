/**
 * Ends a run whose executor died (its lease expired while the run was
 * `running`): closes whatever the log left open, then appends
 * `RUN_ERROR { code: 'executor_lost' }` and marks the run failed, so every
 * client settles instead of waiting forever. The caller holds the run's
 * lease, which makes this happen exactly once across all processes.
 */
import { runError, stepFinished, textMessageEnd, toolCallEnd } from '@stepstream/protocol'
import type { RunStore } from '../store/run-store.js'
import { LogTracker } from './log-tracker.js'

const LOST = { name: 'ExecutorLostError', message: 'The server process running this step stopped' }

export async function settleLostRun(store: RunStore, runId: string, owner: string): Promise<void> {
  // Read again under the lease: the executor may have paused or finished just before its lease ran out.
  const record = await store.getRun(runId)
  if (record?.status !== 'running') return
  const fenced = { lease: owner }
  const open = new LogTracker()
  for (const { event } of await store.read(runId, record.segmentStarts.at(-1) ?? 0)) open.observe(event)
  for (const toolCallId of open.openToolCalls()) await store.append(runId, toolCallEnd(toolCallId), fenced)
  for (const messageId of open.openMessages()) await store.append(runId, textMessageEnd(messageId), fenced)
  for (const step of open.openSteps().reverse()) {
    await store.append(runId, stepFinished({ stepName: step.stepName, stepId: step.stepId, error: LOST }), fenced)
  }
  await store.append(runId, runError('The server process running this workflow stopped before it finished', 'executor_lost'), fenced)
  await store.setRun({ ...record, status: 'failed', updatedAt: Date.now() }, fenced)
}
