/**
 * The actions of PROTOCOL §4 over a RunStore: start, approve, signal, resume,
 * abort. Each either refuses with a WorkflowRequestError (changing nothing)
 * or returns the read plan of the events to stream back.
 */
import type { ApprovalDecision, SignalDelivery } from '@stepstream/protocol'
import type { WorkflowDefinition } from '../authoring/definitions.js'
import { WorkflowRequestError } from '../errors.js'
import { validateWithSchema } from '../schema.js'
import type { RunRecord, RunStore } from '../store/run-store.js'
import { RunExecution } from './execution.js'
import { fingerprint } from './fingerprint.js'
import type { ReadPlan } from './log-reader.js'
import { KeyedLock } from './run-lock.js'

export interface StartAction {
  workflowName: string
  workflow: WorkflowDefinition
  input: unknown
  runId?: string
}

export class Engine {
  private readonly lock = new KeyedLock()
  /** Runs whose generator is alive in this process (running or paused). */
  private readonly live = new Map<string, RunExecution>()

  constructor(private readonly store: RunStore) {
    store.onRunDeleted?.((runId) => {
      this.live.get(runId)?.dispose()
      this.live.delete(runId)
    })
  }

  async start(action: StartAction): Promise<ReadPlan> {
    const input = await validateWithSchema(action.workflow.input, action.input)
    if (!input.ok) throw new WorkflowRequestError('invalid_input', 'Workflow input is invalid', input.issues)
    const inputFingerprint = await fingerprint({ workflow: action.workflowName, input: action.input ?? null })
    const runId = action.runId ?? crypto.randomUUID()
    return this.lock.run(runId, async () => {
      const now = Date.now()
      const record: RunRecord = {
        runId,
        workflow: action.workflowName,
        status: 'running',
        inputFingerprint,
        applied: [],
        segmentStarts: [0],
        createdAt: now,
        updatedAt: now,
      }
      if (!(await this.store.createRun(record))) {
        const existing = await this.store.getRun(runId)
        if (existing && existing.workflow === action.workflowName && existing.inputFingerprint === inputFingerprint) {
          return this.replayPlan(runId, 0)
        }
        throw new WorkflowRequestError('run_id_conflict', 'A run with this id already exists with a different input')
      }
      const execution = new RunExecution(runId, action.workflow, {
        store: this.store,
        lock: this.lock,
        release: (id) => {
          if (this.live.get(id) === execution) this.live.delete(id)
        },
      })
      this.live.set(runId, execution)
      await execution.launch(input.value)
      return { runId, fromIndex: 0, endAfterTerminalFrom: 0 }
    })
  }

  async approve(runId: string, decision: ApprovalDecision, workflowName?: string): Promise<ReadPlan> {
    return this.lock.run(runId, async () => {
      const record = await this.requireRun(runId, workflowName)
      const applied = record.applied.find((item) => item.kind === 'approval' && item.approvalId === decision.approvalId)
      if (applied?.kind === 'approval') {
        if (applied.approved === decision.approved && applied.feedback === decision.feedback) {
          return this.replayPlan(runId, applied.segmentStart)
        }
        throw new WorkflowRequestError('approval_conflict', 'This approval was already answered with a different decision')
      }
      if (record.status !== 'paused') throw notPaused(record)
      if (record.pending?.kind !== 'approval' || record.pending.approvalId !== decision.approvalId) {
        throw new WorkflowRequestError('approval_mismatch', 'The run is not waiting for this approval')
      }
      const start = await this.liveExecution(runId).applyApproval(decision)
      return { runId, fromIndex: start, endAfterTerminalFrom: start }
    })
  }

  async signal(runId: string, signal: SignalDelivery, workflowName?: string): Promise<ReadPlan> {
    return this.lock.run(runId, async () => {
      const record = await this.requireRun(runId, workflowName)
      const applied = record.applied.find((item) => item.kind === 'signal' && item.signalId === signal.signalId)
      if (applied?.kind === 'signal') {
        if (applied.signalName === signal.name) return this.replayPlan(runId, applied.segmentStart)
        throw new WorkflowRequestError('signal_mismatch', 'This signal id was already used for another signal')
      }
      if (record.status !== 'paused') throw notPaused(record)
      if (record.pending?.kind !== 'signal' || record.pending.signalName !== signal.name) {
        throw new WorkflowRequestError('signal_mismatch', `The run is not waiting for a "${signal.name}" signal`)
      }
      const start = await this.liveExecution(runId).applySignal(signal)
      return { runId, fromIndex: start, endAfterTerminalFrom: start }
    })
  }

  async resume(runId: string, startIndex: number, workflowName?: string): Promise<ReadPlan> {
    await this.requireRun(runId, workflowName)
    return this.replayPlan(runId, startIndex)
  }

  async abort(runId: string, workflowName?: string): Promise<void> {
    await this.lock.run(runId, async () => {
      const record = await this.requireRun(runId, workflowName)
      if (record.status === 'aborted') return
      if (record.status === 'finished' || record.status === 'failed') {
        throw new WorkflowRequestError('run_not_paused', `The run has already ${record.status === 'finished' ? 'finished' : 'failed'}`)
      }
      await this.liveExecution(runId).abort()
    })
  }

  /** Resume semantics: from `startIndex` (negative counts from the tail) to the end of the tail's segment. */
  private async replayPlan(runId: string, startIndex: number): Promise<ReadPlan> {
    const tail = await this.store.lastIndex(runId)
    const fromIndex = startIndex < 0 ? Math.max(0, tail + startIndex + 1) : startIndex
    return { runId, fromIndex, endAfterTerminalFrom: tail }
  }

  private async requireRun(runId: string, workflowName: string | undefined): Promise<RunRecord> {
    const record = await this.store.getRun(runId)
    if (!record || (workflowName !== undefined && record.workflow !== workflowName)) {
      throw new WorkflowRequestError('run_not_found', 'No run with this id')
    }
    return record
  }

  private liveExecution(runId: string): RunExecution {
    const execution = this.live.get(runId)
    // Only a store shared across processes (not supported yet) could have a run without its execution here.
    if (!execution) throw new Error(`Run ${runId} has no live execution in this process`)
    return execution
  }
}

function notPaused(record: RunRecord): WorkflowRequestError {
  return new WorkflowRequestError('run_not_paused', `The run is ${record.status}, not paused`)
}

const engines = new WeakMap<RunStore, Engine>()

/** One engine per store, so every handler and `runWorkflow` call sharing a store sees the same live runs. */
export function engineFor(store: RunStore): Engine {
  let engine = engines.get(store)
  if (!engine) {
    engine = new Engine(store)
    engines.set(store, engine)
  }
  return engine
}
