/**
 * Ends a run whose executor died (its lease expired while the run was
 * `running`): closes whatever the log left open, then appends
 * `RUN_ERROR { code: 'executor_lost' }` and marks the run failed, so every
 * client settles instead of waiting forever. The caller holds the run's
 * lease, which makes this happen exactly once across all processes.
 */
import { isTerminalEvent, runError, runStarted, stepFinished, textMessageEnd, toolCallEnd } from '@stepstream/protocol'
import type { RunStore } from '../store/run-store.js'
import { LogTracker } from './log-tracker.js'

const LOST = { name: 'ExecutorLostError', message: 'The server process running this step stopped' }

export async function settleLostRun(store: RunStore, runId: string, owner: string): Promise<void> {
  // Read again under the lease: the executor may have paused or finished just before its lease ran out.
  const record = await store.getRun(runId)
  if (record?.status !== 'running') return
  const fenced = { lease: owner }
  const open = new LogTracker()
  const segment = await store.read(runId, record.segmentStarts.at(-1) ?? 0)
  for (const { event } of segment) open.observe(event)
  // Died after marking a resumed run running but before its RUN_STARTED: the error still gets a segment.
  const last = segment.at(-1)?.event
  if (!last || isTerminalEvent(last)) await store.append(runId, runStarted(runId), fenced)
  for (const toolCallId of open.openToolCalls()) await store.append(runId, toolCallEnd(toolCallId), fenced)
  for (const messageId of open.openMessages()) await store.append(runId, textMessageEnd(messageId), fenced)
  for (const step of open.openSteps().reverse()) {
    await store.append(runId, stepFinished({ stepName: step.stepName, stepId: step.stepId, error: LOST }), fenced)
  }
  await store.append(runId, runError('The server process running this workflow stopped before it finished', 'executor_lost'), fenced)
  await store.setRun({ ...record, status: 'failed', updatedAt: Date.now() }, fenced)
}
