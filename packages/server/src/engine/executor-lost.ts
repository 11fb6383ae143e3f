/**
 * Ends a run whose executor died (its lease expired while the run was
 * `running`): closes whatever the log left open, then appends
 * `RUN_ERROR { code: 'executor_lost' }` and marks the run failed, so every
 * client settles instead of waiting forever. If the log already ends the
 * run (the executor died between its last write and the record), only the
 * record is brought in line. The caller holds the run's lease, which makes
 * this happen exactly once across all processes.
 */
import { isTerminalEvent, type WorkflowEvent, runError, runStarted, stateSnapshot, stepFinished, textMessageEnd, toolCallEnd } from '@stepstream/protocol'
import type { RunStatus, RunStore } from '../store/run-store.js'
import { ReplayJournal } from './journal.js'
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
  const last = segment.at(-1)?.event
  // Died after writing the run's end but before recording it: the log is complete, only the record lags.
  const ended = last && endStatusOf(last)
  if (ended) {
    const { pending: _pending, ...settled } = record
    await store.setRun({ ...settled, status: ended, updatedAt: Date.now() }, fenced)
    return
  }
  // Died after marking a resumed run running but before its RUN_STARTED: the error still gets a segment,
  // whose snapshot (PROTOCOL §2: one after every RUN_STARTED) is the state the run paused with.
  if (!last || isTerminalEvent(last)) {
    const paused = new ReplayJournal(await store.readSteps(runId)).openPause
    await store.append(runId, runStarted(runId), fenced)
    await store.append(runId, stateSnapshot(paused?.state ?? {}), fenced)
  }
  for (const toolCallId of open.openToolCalls()) await store.append(runId, toolCallEnd(toolCallId), fenced)
  for (const messageId of open.openMessages()) await store.append(runId, textMessageEnd(messageId), fenced)
  for (const step of open.openSteps().reverse()) {
    await store.append(runId, stepFinished({ stepName: step.stepName, stepId: step.stepId, error: LOST }), fenced)
  }
  await store.append(runId, runError('The server process running this workflow stopped before it finished', 'executor_lost'), fenced)
  await store.setRun({ ...record, status: 'failed', updatedAt: Date.now() }, fenced)
}

/** The status a run ended with, if `event` ends it (a pause's RUN_FINISHED does not). */
function endStatusOf(event: WorkflowEvent): RunStatus | undefined {
  if (event.type === 'RUN_ERROR') return event.code === 'aborted' ? 'aborted' : 'failed'
  if (event.type === 'RUN_FINISHED' && event.outcome?.type !== 'interrupt') return 'finished'
  return undefined
}
