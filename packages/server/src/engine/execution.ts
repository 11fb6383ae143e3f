/**
 * One live run: drives the workflow generator, writes its events, pauses on
 * approvals and signals (keeping the generator in memory), resumes into new
 * segments, and aborts. Everything it writes goes through one ordered queue;
 * segment boundaries and record changes happen under the run's lock.
 */
import type { StepType, WorkflowEvent } from '@stepstream/protocol'
import {
  approvalInterrupt,
  approvalRequested,
  custom,
  runError,
  runInterrupted,
  runPaused,
  runStarted,
  runSucceeded,
  signalInterrupt,
  stateDelta,
  stateSnapshot,
  stepFinished,
  stepStarted,
  textMessageEnd,
  toolCallEnd,
} from '@stepstream/protocol'
import { bindAgents, readCommand, type CommandPayload } from '../authoring/commands.js'
import { definitionOf, type WorkflowDefinition } from '../authoring/definitions.js'
import type { ApprovalResult } from '../authoring/types.js'
import { StepFailedError, WorkflowError, WorkflowRequestError } from '../errors.js'
import { describeIssues, validateWithSchema, type Schema } from '../schema.js'
import type { PendingInput, RunRecord, RunStore } from '../store/run-store.js'
import { runAgentStep } from './agent-step.js'
import { LogTracker, type OpenStep } from './log-tracker.js'
import type { KeyedLock } from './run-lock.js'
import { StateTracker, cloneJson } from './state-tracker.js'
import { assertUserEventName } from './user-events.js'

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown }

interface Waiting {
  input: PendingInput
  payloadSchema: Schema | undefined
  /** Steps that were open when the run paused; reopened by the next segment. */
  suspendedSteps: OpenStep[]
  isSleep: boolean
  timer: ReturnType<typeof setTimeout> | undefined
  settle: (settlement: Settlement) => void
}

type Terminal = { type: 'success'; output: unknown } | { type: 'error'; code: string; message: string }

export interface ExecutionDependencies {
  store: RunStore
  lock: KeyedLock
  /** Called once the execution no longer needs to be reachable (finished, failed, aborted, dropped). */
  release: (runId: string) => void
}

const MAX_TIMER_MS = 2 ** 31 - 1

export class RunExecution {
  private readonly controller = new AbortController()
  private readonly written = new LogTracker()
  /** Names of steps started but not finished, in the order the workflow opened them. */
  private readonly activeStepNames: string[] = []
  private queue: Promise<void> = Promise.resolve()
  private storeFailure: unknown
  private closed = false
  private waiting: Waiting | undefined
  private rootState: StateTracker | undefined

  constructor(
    readonly runId: string,
    private readonly workflow: WorkflowDefinition,
    private readonly deps: ExecutionDependencies,
  ) {}

  /** First segment: RUN_STARTED and STATE_SNAPSHOT are written before this resolves; the body runs on. Caller holds the lock. */
  async launch(input: unknown): Promise<void> {
    await this.enqueue(() => this.write(runStarted(this.runId)))
    let state: object
    try {
      state = await initialState(this.workflow, input)
    } catch (error) {
      // PROTOCOL §2: every RUN_STARTED is followed by a snapshot; no state was made, so it is empty.
      await this.enqueue(() => this.write(stateSnapshot({})))
      await this.closeWith({ type: 'error', code: codeOf(error), message: messageOf(error) })
      return
    }
    const context = this.workflowContext(this.workflow, input, state)
    this.rootState = new StateTracker(() => context.state)
    await this.enqueue(() => this.write(stateSnapshot(this.rootState!.snapshot())))
    void this.drive(context)
  }

  /** The payload schema of the signal being waited for, if any. */
  get waitingFor(): PendingInput | undefined {
    return this.waiting?.input
  }

  /** Resumes a paused run with a decision. Caller holds the lock and has checked it matches. */
  async applyApproval(decision: { approvalId: string; approved: boolean; feedback?: string }): Promise<number> {
    const waiting = this.takeWaiting()
    const result: ApprovalResult = { approved: decision.approved, approvalId: decision.approvalId }
    if (decision.feedback !== undefined) result.feedback = decision.feedback
    const title = waiting.input.kind === 'approval' ? waiting.input.title : 'approval'
    const start = await this.startResumedSegment(waiting, { stepName: title, stepType: 'approval', result })
    await this.updateRecord((record) => {
      record.applied.push({ kind: 'approval', ...decision, segmentStart: start })
    })
    waiting.settle({ ok: true, value: result })
    return start
  }

  /** Validates the payload (refusing the request if invalid), then resumes. Caller holds the lock. */
  async applySignal(signal: { signalId: string; name: string; payload?: unknown }): Promise<number> {
    const schema = this.waiting?.payloadSchema
    const payload = await validateWithSchema(schema, signal.payload)
    if (!payload.ok) throw new WorkflowRequestError('invalid_input', 'Signal payload is invalid', payload.issues)
    const waiting = this.takeWaiting()
    const start = await this.startResumedSegment(waiting, { stepName: signal.name, stepType: 'signal', result: payload.value })
    await this.updateRecord((record) => {
      record.applied.push({ kind: 'signal', signalId: signal.signalId, signalName: signal.name, segmentStart: start })
    })
    waiting.settle({ ok: true, value: payload.value })
    return start
  }

  /** Appends RUN_ERROR aborted (closing what is open first) and fires the signal. Caller holds the lock. */
  async abort(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const waiting = this.waiting
    this.waiting = undefined
    if (waiting?.timer) clearTimeout(waiting.timer)
    this.controller.abort(new WorkflowError('aborted', 'Run aborted'))
    await this.enqueue(async () => {
      if (waiting) {
        // The paused segment already ended; the abort gets a segment of its own.
        await this.write(runStarted(this.runId))
        await this.write(stateSnapshot(this.rootState?.snapshot() ?? {}))
      } else {
        await this.closeOpenWork({ error: { name: 'AbortError', message: 'Run aborted' } })
      }
      await this.write(runError('Run aborted', 'aborted'))
    }, true)
    await this.updateRecord((record) => {
      record.status = 'aborted'
      delete record.pending
    })
    waiting?.settle({ ok: false, error: new WorkflowError('aborted', 'Run aborted') })
    this.deps.release(this.runId)
  }

  /** The store dropped the run: stop everything without writing. */
  dispose(): void {
    this.closed = true
    const waiting = this.waiting
    this.waiting = undefined
    if (waiting?.timer) clearTimeout(waiting.timer)
    this.controller.abort(new WorkflowError('aborted', 'Run expired'))
    waiting?.settle({ ok: false, error: new WorkflowError('aborted', 'Run expired') })
  }

  private async drive(context: { input: unknown; state: unknown }): Promise<void> {
    let terminal: Terminal
    try {
      const returned = await this.runBody(this.workflow, context, true)
      terminal = { type: 'success', output: await validOutput(this.workflow, returned) }
    } catch (error) {
      terminal = { type: 'error', code: codeOf(error), message: messageOf(error) }
    }
    await this.deps.lock.run(this.runId, async () => {
      if (this.closed) return
      try {
        this.flushState()
      } catch (error) {
        terminal = { type: 'error', code: codeOf(error), message: messageOf(error) }
      }
      await this.closeWith(terminal)
    })
  }

  private async closeWith(terminal: Terminal): Promise<void> {
    // Everything the workflow queued before it ended belongs in the log, ahead of the terminal event.
    await this.queue
    this.closed = true
    const event =
      terminal.type === 'success' ? runSucceeded(this.runId, terminal.output) : runError(terminal.message, terminal.code)
    await this.enqueue(async () => {
      await this.closeOpenWork({ error: { name: 'Error', message: 'Run ended' } })
      await this.write(event)
    }, true)
    await this.updateRecord((record) => {
      record.status = terminal.type === 'success' ? 'finished' : terminal.code === 'aborted' ? 'aborted' : 'failed'
      delete record.pending
    })
    this.deps.release(this.runId)
  }

  /** Drives one workflow body (the root or a nested one) to what it returns. */
  private async runBody(definition: WorkflowDefinition, context: { input: unknown; state: unknown }, isRoot: boolean): Promise<unknown> {
    const body = definition.run(context as Parameters<WorkflowDefinition['run']>[0])
    if (typeof body?.next !== 'function') {
      throw new TypeError(`Workflow "${definition.name}": run must be an async generator function (async function*)`)
    }
    let settlement: Settlement = { ok: true, value: undefined }
    for (;;) {
      const step = settlement.ok ? await body.next(settlement.value) : await body.throw(settlement.error)
      if (this.closed) {
        await body.return(undefined as never).catch(() => {})
        throw new WorkflowError('aborted', 'Run aborted')
      }
      if (this.storeFailure) throw this.storeFailure
      // A yield boundary: the state change since the last one goes out before the next step starts.
      if (isRoot) this.flushState()
      if (step.done) return step.value
      const command = readCommand(step.value)
      if (!command) {
        settlement = {
          ok: false,
          error: new TypeError('Workflows may only yield with yield* (an agent call, approve(), waitForSignal() or sleep())'),
        }
        continue
      }
      try {
        settlement = { ok: true, value: await this.perform(command) }
      } catch (error) {
        settlement = { ok: false, error }
      }
    }
  }

  private async perform(command: CommandPayload): Promise<unknown> {
    switch (command.type) {
      case 'call':
        return this.runStep(command.agent, command.stepName, command.input)
      case 'approval':
        return this.pause(
          { kind: 'approval', approvalId: crypto.randomUUID(), title: command.title, ...optional('description', command.description) },
          undefined,
          false,
        )
      case 'signal':
        return this.pause(
          {
            kind: 'signal',
            signalName: command.name,
            ...optional('deadline', command.deadline),
            ...optional('meta', command.meta),
          },
          command.payload,
          false,
        )
      case 'sleep':
        return this.pause({ kind: 'signal', signalName: command.name, deadline: command.deadline }, undefined, true)
    }
  }

  private async runStep(agent: unknown, requestedName: string, input: unknown): Promise<unknown> {
    const definition = definitionOf(agent)
    if (!definition) throw new WorkflowError('internal', `agents.${requestedName} is not an agent or a workflow`)
    const stepId = crypto.randomUUID()
    const stepName = uniqueName(requestedName, this.activeStepNames)
    const stepType: StepType = definition.kind === 'workflow' ? 'nested-workflow' : 'agent'
    this.activeStepNames.push(stepName)
    this.append(stepStarted({ stepName, stepId, stepType }))
    try {
      const output =
        definition.kind === 'agent'
          ? await runAgentStep(definition, input, {
              runId: this.runId,
              stepId,
              stepName,
              signal: this.controller.signal,
              emit: this.emit,
              log: (event) => void this.append(event),
            })
          : await this.runNestedWorkflow(definition, requestedName, input)
      this.append(stepFinished({ stepName, stepId, result: output }))
      return output
    } catch (error) {
      if (!this.closed) {
        this.append(stepFinished({ stepName, stepId, error: { name: nameOf(error), message: messageOf(error) } }))
      }
      if (error instanceof WorkflowError) throw error
      throw new StepFailedError(stepName, messageOf(error), { cause: error })
    } finally {
      this.activeStepNames.splice(this.activeStepNames.lastIndexOf(stepName), 1)
    }
  }

  private async runNestedWorkflow(definition: WorkflowDefinition, stepName: string, rawInput: unknown): Promise<unknown> {
    const input = await validateWithSchema(definition.input, rawInput)
    if (!input.ok) {
      throw new WorkflowError('invalid_input', `Input of workflow "${stepName}" is invalid: ${describeIssues(input.issues)}`)
    }
    const state = await initialState(definition, input.value)
    // Its output, `fail(...)` included, is a value for the parent to inspect; only a throw fails the step.
    const returned = await this.runBody(definition, this.workflowContext(definition, input.value, state), false)
    return validOutput(definition, returned)
  }

  /** Ends the segment with an interrupt and waits (in memory) for the decision. */
  private async pause(input: PendingInput, payloadSchema: Schema | undefined, isSleep: boolean): Promise<unknown> {
    let settle: (settlement: Settlement) => void = () => {}
    const settled = new Promise<Settlement>((resolve) => {
      settle = resolve
    })
    await this.deps.lock.run(this.runId, async () => {
      if (this.closed) throw new WorkflowError('aborted', 'Run aborted')
      let suspendedSteps: OpenStep[] = []
      await this.enqueue(async () => {
        suspendedSteps = this.written.openSteps()
        // AG-UI wants no step open at RUN_FINISHED; the next segment reopens them under the same ids.
        for (const step of [...suspendedSteps].reverse()) {
          await this.write(stepFinished(step, { metadata: { suspended: true } }))
        }
        if (input.kind === 'approval') {
          await this.write(approvalRequested({ approvalId: input.approvalId, title: input.title, ...optional('description', input.description) }))
          await this.write(runInterrupted(this.runId, [approvalInterrupt(input)]))
        } else {
          const value = { signalName: input.signalName, ...optional('deadline', input.deadline), ...optional('meta', input.meta) }
          await this.write(runPaused(value))
          await this.write(runInterrupted(this.runId, [signalInterrupt(value)]))
        }
      })
      if (this.storeFailure) throw this.storeFailure
      this.waiting = { input, payloadSchema, suspendedSteps, isSleep, timer: undefined, settle }
      await this.updateRecord((record) => {
        record.status = 'paused'
        record.pending = input
      })
      if (input.kind === 'signal' && input.deadline !== undefined) this.armDeadline(this.waiting, Date.parse(input.deadline))
    })
    const settlement = await settled
    if (!settlement.ok) throw settlement.error
    return settlement.value
  }

  private armDeadline(waiting: Waiting, deadline: number): void {
    const delay = Math.min(Math.max(0, deadline - Date.now()), MAX_TIMER_MS)
    waiting.timer = setTimeout(() => {
      if (Date.now() < deadline) return this.armDeadline(waiting, deadline)
      void this.deps.lock.run(this.runId, () => this.deadlinePassed(waiting))
    }, delay)
    if (typeof waiting.timer === 'object' && 'unref' in waiting.timer) waiting.timer.unref()
  }

  private async deadlinePassed(waiting: Waiting): Promise<void> {
    if (this.waiting !== waiting || this.closed) return
    this.takeWaiting()
    const stepName = waiting.input.kind === 'signal' ? waiting.input.signalName : 'signal'
    const timeout = new WorkflowError('timeout', `No "${stepName}" signal before the deadline`)
    await this.startResumedSegment(
      waiting,
      waiting.isSleep
        ? { stepName, stepType: 'signal', result: null }
        : { stepName, stepType: 'signal', error: { name: 'TimeoutError', message: timeout.message } },
    )
    waiting.settle(waiting.isSleep ? { ok: true, value: undefined } : { ok: false, error: timeout })
  }

  private takeWaiting(): Waiting {
    const waiting = this.waiting
    if (!waiting) throw new Error('Run is not waiting')
    this.waiting = undefined
    if (waiting.timer) clearTimeout(waiting.timer)
    return waiting
  }

  /** RUN_STARTED, STATE_SNAPSHOT, the suspended steps again, then the decision as a finished step. */
  private async startResumedSegment(
    waiting: Waiting,
    decision: { stepName: string; stepType: StepType; result?: unknown; error?: { name: string; message: string } },
  ): Promise<number> {
    let start = -1
    await this.enqueue(async () => {
      start = await this.write(runStarted(this.runId))
      await this.write(stateSnapshot(this.rootState?.snapshot() ?? {}))
      for (const step of waiting.suspendedSteps) await this.write(stepStarted(step))
      const stepId = crypto.randomUUID()
      const stepName = uniqueName(decision.stepName, waiting.suspendedSteps.map((step) => step.stepName))
      await this.write(stepStarted({ stepName, stepId, stepType: decision.stepType }))
      await this.write(
        stepFinished(decision.error ? { stepName, stepId, error: decision.error } : { stepName, stepId, result: cloneJson(decision.result) }),
      )
    })
    if (this.storeFailure) throw this.storeFailure
    await this.updateRecord((record) => {
      record.status = 'running'
      delete record.pending
      record.segmentStarts.push(start)
    })
    return start
  }

  private workflowContext(definition: WorkflowDefinition, input: unknown, state: unknown) {
    return {
      input,
      state,
      agents: bindAgents(definition.agents),
      emit: this.emit,
      signal: this.controller.signal,
      runId: this.runId,
    }
  }

  private readonly emit = (name: string, value: unknown): void => {
    assertUserEventName(name)
    this.append(custom(name, cloneJson(value) ?? null))
  }

  private flushState(): void {
    if (!this.rootState) return
    const delta = this.rootState.takeDelta()
    if (delta.length > 0) this.append(stateDelta(delta))
  }

  /** Closes tool calls, messages and steps the log still has open (run inside the queue). */
  private async closeOpenWork(outcome: { error: { name: string; message: string } }): Promise<void> {
    for (const toolCallId of this.written.openToolCalls()) await this.write(toolCallEnd(toolCallId))
    for (const messageId of this.written.openMessages()) await this.write(textMessageEnd(messageId))
    for (const step of this.written.openSteps().reverse()) {
      await this.write(stepFinished({ stepName: step.stepName, stepId: step.stepId, error: outcome.error }))
    }
  }

  private append(event: WorkflowEvent): Promise<void> {
    return this.enqueue(() => this.write(event).then(() => undefined))
  }

  /** Runs `task` after everything queued before it; skipped once the run is closed unless `force`. */
  private enqueue(task: () => Promise<unknown>, force = false): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed && !force) return
      await task()
    })
    this.queue = run.catch((error: unknown) => {
      this.storeFailure ??= error
    })
    return this.queue
  }

  private async write(event: WorkflowEvent): Promise<number> {
    const index = await this.deps.store.append(this.runId, event)
    this.written.observe(event)
    return index
  }

  private async updateRecord(change: (record: RunRecord) => void): Promise<void> {
    const record = await this.deps.store.getRun(this.runId)
    if (!record) return
    change(record)
    record.updatedAt = Date.now()
    await this.deps.store.setRun(record)
  }
}

async function initialState(definition: WorkflowDefinition, input: unknown): Promise<object> {
  const raw = definition.initialize ? await definition.initialize(input) : {}
  const state = await validateWithSchema(definition.state, raw)
  if (!state.ok) throw new WorkflowError('invalid_state', `Initial state of "${definition.name}" is invalid: ${describeIssues(state.issues)}`)
  if (typeof state.value !== 'object' || state.value === null) {
    throw new WorkflowError('invalid_state', `State of "${definition.name}" must be an object or array`)
  }
  return state.value
}

/** What `run` returned is the output: checked by the `output` schema, then copied as the JSON that goes on the wire. */
async function validOutput(definition: WorkflowDefinition, returned: unknown): Promise<unknown> {
  const output = await validateWithSchema(definition.output, returned)
  if (!output.ok) {
    throw new WorkflowError('invalid_output', `Output of workflow "${definition.name}" is invalid: ${describeIssues(output.issues)}`)
  }
  try {
    return cloneJson(output.value)
  } catch (error) {
    throw new WorkflowError('invalid_output', `Output of workflow "${definition.name}" is not JSON: ${messageOf(error)}`, { cause: error })
  }
}

/** Step names must be unique among open steps (AG-UI pairs STEP_* by name). */
function uniqueName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name
  let suffix = 2
  while (taken.includes(`${name} (${suffix})`)) suffix += 1
  return `${name} (${suffix})`
}

function optional<TKey extends string, TValue>(key: TKey, value: TValue | undefined): { [K in TKey]?: TValue } {
  return (value === undefined ? {} : { [key]: value }) as { [K in TKey]?: TValue }
}

function codeOf(error: unknown): string {
  return error instanceof WorkflowError ? error.code : 'internal'
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error'
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : 'Unknown error'
}
