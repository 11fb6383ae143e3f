/**
 * One run while this process executes it: drives the workflow generator,
 * writes its events, records every step in the journal, pauses on approvals
 * and signals, resumes into new segments, and aborts. Everything it writes
 * goes through one ordered queue (run-writer.ts), fenced by the run's lease;
 * segment boundaries and record changes happen under the run's lock.
 *
 * A pause ends the execution: the lease is released and the generator
 * dropped. Whoever applies the decision (this process or another, now or
 * after a restart) builds a new execution that replays the body from the
 * journal up to the pause (see journal.ts) and continues live from there.
 */
import type { StepType, WorkflowEvent } from '@stepstream/protocol'
import {
  custom,
  runError,
  runStarted,
  runSucceeded,
  stateDelta,
  stateSnapshot,
  stepFinished,
  stepStarted,
} from '@stepstream/protocol'
import { bindAgents, readCommand, type CommandPayload, type RouteCommand } from '../authoring/commands.js'
import { definitionOf, type WorkflowDefinition } from '../authoring/definitions.js'
import { StepFailedError, WorkflowError, WorkflowRequestError } from '../errors.js'
import { describeIssues, validateWithSchema, type Schema, type ValidationResult } from '../schema.js'
import type { PausedStepEntry, PendingInput, RunStore, StepJournalEntry } from '../store/run-store.js'
import { runAgentStep } from './agent-step.js'
import { errorAbout, wordAs, type ClientErrors } from './client-errors.js'
import { codeOf, messageOf } from './error-details.js'
import { NondeterministicReplayError, replayOutcome, type ReplayJournal } from './journal.js'
import { recordError } from './recorded-error.js'
import { journalNameOf, pendingNameOf } from './journal-names.js'
import { LeaseKeeper } from './lease-keeper.js'
import { pauseInterrupted, pauseRequested, pendingInputOf, waitStep, type PauseCommand } from './pause-events.js'
import type { KeyedLock } from './run-lock.js'
import { decideRoute, replayRoute } from './recorded-route.js'
import { ReplayProgress } from './replay-progress.js'
import { RunWriter } from './run-writer.js'
import { StateTracker, cloneJson, strictJsonCopy } from './state-tracker.js'
import { uniqueName } from './step-names.js'
import { untilAborted } from './until-aborted.js'
import { assertUserEventName, userEventValue } from './user-events.js'
import { approvalResumption, deadlineResumption, signalResumption, waitingAt, type Resumption, type Settlement, type Waiting } from './waiting.js'
import { initialState, validOutput } from './workflow-values.js'

/** How the body ended; an error is worded for clients only once it is certain to be written. */
type Terminal = { type: 'success'; output: unknown } | { type: 'error'; error: unknown }

export interface ExecutionDependencies {
  store: RunStore
  lock: KeyedLock
  /**
   * The lease owner token of this execution alone (no other execution, in
   * this process or any, shares it); the caller has already acquired the
   * run's lease with it. A stale execution's renewals and fenced writes then
   * fail, and its release can never let go of a newer holder's lease.
   */
  owner: string
  /** What the run's events say about the errors they carry. */
  errors: ClientErrors
  /** Called once the execution no longer needs to be reachable (paused, finished, failed, aborted, lost, dropped). */
  release: (runId: string) => void
  /**
   * The store refused writes this execution needed (its first event, the
   * run's end, a resumed segment), so it stopped with the run still
   * `running` in the store: the engine settles it once the store answers.
   */
  unsettled: (runId: string) => void
  /** The run paused: the engine may arm a deadline (the execution itself is gone by then). */
  paused: (runId: string, pending: PendingInput) => void
  /** Another process asked for an abort (seen at a lease renewal). */
  abortRequested: (runId: string) => void
}

export class RunExecution {
  private readonly controller = new AbortController()
  /** Names of steps started but not finished, in the order the workflow opened them. */
  private readonly activeStepNames: string[] = []
  private closed = false
  private waiting: Waiting | undefined
  private rootState: StateTracker | undefined
  /** Set while rebuilding a paused run; nothing is written until replay reaches the pause. */
  private replay: ReplayProgress | undefined
  private readonly lease: LeaseKeeper
  private readonly writer: RunWriter

  constructor(
    readonly runId: string,
    private readonly workflow: WorkflowDefinition,
    private readonly deps: ExecutionDependencies,
  ) {
    this.writer = new RunWriter(deps.store, runId, deps.owner, () => this.closed)
    this.lease = new LeaseKeeper(deps.store, runId, deps.owner, {
      lost: () => this.leaseLost(),
      abortRequested: () => deps.abortRequested(runId),
    })
  }

  /** First segment: RUN_STARTED and STATE_SNAPSHOT are written before this resolves; the body runs on. Caller holds the lock and the lease. */
  async launch(input: unknown): Promise<void> {
    this.lease.start()
    await this.writer.enqueue(() => this.writer.write(runStarted(this.runId)))
    try {
      this.writer.throwIfFailed()
    } catch (error) {
      // The store refused the run's first write: the start is answered with
      // an error, not a stream that only heartbeats, and the run, created but
      // never begun, is let go and settled (executor_lost) once the store answers.
      await this.stopExecuting()
      this.deps.unsettled(this.runId)
      throw error
    }
    let context: ReturnType<RunExecution['workflowContext']>
    try {
      context = this.workflowContext(this.workflow, input, await this.startingState(this.workflow, input, undefined))
      this.rootState = new StateTracker(this.workflow.name, () => context.state)
    } catch (error) {
      // PROTOCOL §2: every RUN_STARTED is followed by a snapshot; no state was made, so it is empty.
      await this.writer.enqueue(() => this.writer.write(stateSnapshot({})))
      await this.closeWith({ type: 'error', error })
      return
    }
    await this.writer.enqueue(() => this.writer.write(stateSnapshot(this.rootState!.snapshot())))
    void this.drive(context)
  }

  /**
   * Rebuilds a paused run: replays the body from `journal` until it yields the
   * command the run paused at, without writing anything. Resolves once the
   * execution waits there again (ready for `applyApproval`, `applySignal`,
   * `deadlinePassed` or `abort`). If the replay diverges, the run fails with
   * `nondeterministic_replay` in a segment of its own and this rejects.
   * Caller holds the lock and the lease.
   */
  async restore(input: unknown, journal: ReplayJournal): Promise<void> {
    this.lease.start()
    const replay = new ReplayProgress(journal)
    this.replay = replay
    let context: ReturnType<RunExecution['workflowContext']>
    try {
      const validated = await validateWithSchema(this.workflow.input, input)
      if (!validated.ok) throw new NondeterministicReplayError('The recorded input no longer passes the input schema')
      const state = await this.startingState(this.workflow, validated.value, undefined)
      context = this.workflowContext(this.workflow, validated.value, state)
      this.rootState = new StateTracker(this.workflow.name, () => context.state)
    } catch (error) {
      await this.failReplay(error)
      throw error
    }
    void this.drive(context)
    const outcome = await replay.reached
    if (!outcome.ok) {
      await this.failReplay(outcome.error)
      throw outcome.error
    }
  }

  /**
   * Whether an abort was asked for while this rebuilt run was paused (the
   * request reached the store as the executor paused it, too late for it to
   * see). Caller holds the lock; it aborts the run instead of going on.
   */
  abortRequested(): Promise<boolean> {
    return this.lease.abortRequestedNow()
  }

  /** Resumes a paused run with a decision. Caller holds the lock and has checked it matches. */
  async applyApproval(decision: { approvalId: string; approved: boolean; feedback?: string }): Promise<number> {
    const waiting = this.takeWaiting()
    return this.resume(waiting, approvalResumption(decision))
  }

  /**
   * Validates the payload, then resumes. An invalid payload refuses the
   * request and lets go of the rebuilt run, which stays paused as it was.
   * Caller holds the lock.
   */
  async applySignal(signal: { signalId: string; name: string; payload?: unknown }): Promise<number> {
    const schema = this.waiting?.payloadSchema
    let payload: ValidationResult<unknown>
    let value: unknown
    try {
      payload = await validateWithSchema(schema, signal.payload)
      // What the schema made is journalled as JSON, and a rebuilt run gets that: so does the body, now.
      value = payload.ok ? cloneJson(payload.value) : undefined
    } catch (error) {
      // A schema that throws, or makes what JSON cannot hold (a BigInt), is the server's fault: a 500 that changes nothing.
      await this.relinquish()
      throw error
    }
    if (!payload.ok) {
      await this.relinquish()
      throw new WorkflowRequestError('invalid_input', 'Signal payload is invalid', payload.issues)
    }
    const waiting = this.takeWaiting()
    return this.resume(waiting, signalResumption(signal, value))
  }

  /** The deadline of the signal wait passed: sleep wakes, a signal wait fails with `timeout`. Caller holds the lock. */
  async deadlinePassed(): Promise<void> {
    const waiting = this.takeWaiting()
    await this.resume(waiting, deadlineResumption(waiting))
  }

  /** Appends RUN_ERROR aborted (closing what is open first) and fires the signal. Caller holds the lock. */
  async abort(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const waiting = this.dropWaiting()
    this.controller.abort(new WorkflowError('aborted', 'Run aborted'))
    try {
      await this.writer.end({
        // The paused segment already ended; the abort gets a segment of its own,
        // where the steps the pause suspended end as aborted, like a live run's.
        reopen: waiting && { state: this.rootState?.snapshot() ?? {}, suspendedSteps: waiting.suspendedSteps },
        openWorkError: { name: 'AbortError', message: 'Run aborted' },
        last: () => runError('Run aborted', 'aborted'),
        status: 'aborted',
      })
    } finally {
      // Even if the store refused the end: a run left `running` without a
      // lease holder is settled as executor_lost by whoever reads it next.
      await this.stopExecuting()
      waiting?.settle({ ok: false, error: new WorkflowError('aborted', 'Run aborted') })
    }
  }

  /**
   * Gives a rebuilt, still waiting run back without writing anything: the
   * request that rebuilt it was refused. Holding on would keep its lease
   * renewed, and every later decision would wait for that lease in vain.
   * The run stays paused in the store; its deadline, cleared for the
   * rebuild, is armed again. Caller holds the lock.
   */
  private async relinquish(): Promise<void> {
    const waiting = this.dropWaiting()
    await this.stopExecuting()
    // The body stays suspended at the pause for the garbage collector, like after a pause.
    if (waiting) this.deps.paused(this.runId, waiting.input)
  }

  /** The store dropped the run: stop everything without writing. */
  dispose(): void {
    void this.lease.release()
    this.closed = true
    const waiting = this.dropWaiting()
    this.controller.abort(new WorkflowError('aborted', 'Run expired'))
    waiting?.settle({ ok: false, error: new WorkflowError('aborted', 'Run expired') })
  }

  private async drive(context: { input: unknown; state: unknown }): Promise<void> {
    let terminal: Terminal
    try {
      const returned = await this.runBody(this.workflow, context, undefined)
      terminal = { type: 'success', output: await validOutput(this.workflow, returned) }
    } catch (error) {
      terminal = { type: 'error', error }
    }
    if (this.replay) {
      // Its message goes in the RUN_ERROR of the failed replay.
      this.replay.endedEarly(terminal.type === 'success' ? terminal : { type: 'error', ...this.failure(terminal.error) })
      return
    }
    try {
      await this.deps.lock.run(this.runId, async () => {
        if (this.closed) return
        try {
          this.flushState()
        } catch (error) {
          terminal = { type: 'error', error }
        }
        await this.closeWith(terminal)
      })
    } catch {
      // The store refused the final writes (lease lost, store gone): nothing
      // more this process can write. A lost lease means another process settles
      // the run; either way, this execution must not outlive it.
      await this.stopExecuting()
      this.deps.unsettled(this.runId)
    }
  }

  private async closeWith(terminal: Terminal): Promise<void> {
    // Everything the workflow queued before it ended belongs in the log, ahead of the terminal event.
    await this.writer.idle()
    try {
      this.writer.throwIfFailed()
    } catch (error) {
      // The store refused a write since the last yield (the final state change, say): the log lacks it, so this is no success.
      if (terminal.type === 'success') terminal = { type: 'error', error }
    }
    this.closed = true
    const output = terminal.type === 'success' ? terminal.output : undefined
    const failed = terminal.type === 'error' ? this.failure(terminal.error) : undefined
    await this.writer.end({
      openWorkError: { name: 'Error', message: 'Run ended' },
      last: () => (failed ? runError(failed.message, failed.code) : runSucceeded(this.runId, output)),
      status: !failed ? 'finished' : failed.code === 'aborted' ? 'aborted' : 'failed',
    })
    await this.stopExecuting()
  }

  /**
   * Replay diverged from the journal: the run cannot continue. It was paused,
   * so its failure gets a segment of its own, like an abort. Caller holds the lock.
   */
  private async failReplay(error: unknown): Promise<void> {
    const paused = this.replay?.openPause
    this.replay = undefined
    this.closed = true
    const shown = this.deps.errors.describe(error)
    try {
      await this.writer.end({
        reopen: { state: paused?.state ?? {}, suspendedSteps: paused?.suspendedSteps ?? [] },
        openWorkError: shown,
        last: () => runError(shown.message, codeOf(error)),
        status: 'failed',
      })
    } finally {
      await this.stopExecuting()
      this.controller.abort(error)
    }
  }

  /** The code and message of the RUN_ERROR a run that failed with `error` ends with. */
  private failure(error: unknown): { code: string; message: string } {
    return { code: codeOf(error), message: this.deps.errors.describe(error).message }
  }

  /** This process is done with the run: it writes nothing more, gives the lease up, and the engine forgets it. */
  private async stopExecuting(): Promise<void> {
    this.closed = true
    await this.lease.release()
    this.deps.release(this.runId)
  }

  /** Someone else holds the lease now: stop at once. Fencing already refuses our writes. */
  private leaseLost(): void {
    if (this.closed) return
    this.closed = true
    const lost = new WorkflowError('executor_lost', 'This process lost the lease of the run')
    const waiting = this.dropWaiting()
    this.controller.abort(lost)
    waiting?.settle({ ok: false, error: lost })
    this.deps.release(this.runId)
  }

  /** Drives one workflow body (the root or a nested one) to what it returns. */
  private async runBody(definition: WorkflowDefinition, context: { input: unknown; state: unknown }, scope: string | undefined): Promise<unknown> {
    const isRoot = scope === undefined
    let commands = 0
    let routes = 0
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
      this.writer.throwIfFailed()
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
        // Router decisions are filed beside the commands, not among them: the
        // agent calls keep the positions they had before decisions were
        // recorded, so a run journalled then still rebuilds (see replayRoute).
        const position = command.type === 'route' ? `route.${routes++}` : String(commands++)
        const seq = isRoot ? position : `${scope}.${position}`
        settlement = { ok: true, value: await this.perform(command, seq) }
      } catch (error) {
        settlement = { ok: false, error }
      }
    }
  }

  private async perform(command: CommandPayload, seq: string): Promise<unknown> {
    if (this.replay) return this.replayCommand(command, seq)
    switch (command.type) {
      case 'call':
        return this.runStep(command.agent, command.stepName, command.input, seq, undefined)
      case 'approval':
      case 'signal':
      case 'sleep':
        return this.pause(seq, command)
      case 'now':
        return this.recordValue(seq, 'now', Date.now())
      case 'uuid':
        return this.recordValue(seq, 'uuid', crypto.randomUUID())
      case 'route':
        return this.route(command, seq)
    }
  }

  /** Answers a command from the journal while rebuilding a paused run. */
  private async replayCommand(command: CommandPayload, seq: string): Promise<unknown> {
    if (command.type === 'route') return this.routeOnReplay(command, seq)
    const step = this.replay!.at(seq, command)
    switch (step.kind) {
      case 'settled':
        return replayOutcome(step.entry)
      case 'enter':
        if (command.type !== 'call') throw new NondeterministicReplayError(`Command #${seq} is not a step`)
        return this.runStep(command.agent, command.stepName, command.input, seq, step.entry.stepId)
      case 'pause':
        return this.waitAgain(step.entry, command.type === 'signal' ? command.payload : undefined)
    }
  }

  /** Asks the router and journals its decision (and the state it left), then hands the decision to the body. */
  private async route(command: RouteCommand, seq: string): Promise<unknown> {
    const record = await decideRoute(command)
    await this.journal({ type: 'settled', seq, command: 'route', name: journalNameOf(command), outcome: { ok: true, value: record } })
    this.writer.throwIfFailed()
    // Its own copy: the journal entry may not be written yet, and the body keeps the decision in its history.
    return cloneJson(record.decision)
  }

  /**
   * The recorded decision, without asking the router. A run journalled
   * before decisions were recorded has none: its router is asked again, as
   * replay did then (and as safe as it was then: the steps it picks must be
   * the recorded ones, and the state at the pause too, or the run fails
   * with nondeterministic_replay). Nothing is journalled while replaying, so
   * only the decisions made once the run is live again are recorded.
   */
  private async routeOnReplay(command: RouteCommand, seq: string): Promise<unknown> {
    const recorded = this.replay!.recordedRoute(seq)
    return recorded ? cloneJson(replayRoute(command, recorded)) : this.route(command, seq)
  }

  /** Journals a value a `now()` / `uuid()` command produced, then hands it to the body. */
  private async recordValue(seq: string, command: 'now' | 'uuid', value: unknown): Promise<unknown> {
    await this.journal({ type: 'settled', seq, command, name: command, outcome: { ok: true, value } })
    this.writer.throwIfFailed()
    return value
  }

  /**
   * `replayStepId` is set when replay re-enters a nested workflow that was
   * running at the pause: its STEP_STARTED is already in the log (the resumed
   * segment reopens it), so only its end is written, under the same id.
   */
  private async runStep(agent: unknown, requestedName: string, input: unknown, seq: string, replayStepId: string | undefined): Promise<unknown> {
    const definition = definitionOf(agent)
    if (!definition) throw new WorkflowError('internal', `agents.${requestedName} is not an agent or a workflow`)
    const stepId = replayStepId ?? crypto.randomUUID()
    const stepName = uniqueName(requestedName, this.activeStepNames)
    const stepType: StepType = definition.kind === 'workflow' ? 'nested-workflow' : 'agent'
    this.activeStepNames.push(stepName)
    if (replayStepId === undefined) {
      this.append(stepStarted({ stepName, stepId, stepType }))
      // Only a nested workflow can pause midway, so only its start is needed to re-enter it on replay.
      if (definition.kind === 'workflow') void this.journal({ type: 'started', seq, command: 'call', name: requestedName, stepId })
    }
    try {
      const output =
        definition.kind === 'agent'
          ? await untilAborted(
              runAgentStep(definition, input, {
                runId: this.runId,
                stepId,
                stepName,
                signal: this.controller.signal,
                emit: this.emit,
                log: (event) => void this.append(event),
              }),
              this.controller.signal,
            )
          : // Not raced: a nested body unwinds by itself, at its own agent steps, running its own finally blocks.
            await this.runNestedWorkflow(definition, requestedName, input, seq)
      const result = stepResultOf(stepName, output)
      this.append(stepFinished({ stepName, stepId, result }))
      await this.journal({ type: 'settled', seq, command: 'call', name: requestedName, outcome: { ok: true, value: result } })
      // What a rebuilt run gets from the journal is this JSON, so the live body gets it too (its own copy).
      return cloneJson(result)
    } catch (error) {
      // The body gets the real error; clients get what describe() says of it, here and wherever the body lets it go.
      const thrown = stepError(error, stepName, definition.kind)
      if (!this.closed && !this.replay) {
        const shown = this.deps.errors.describe(error, stepName)
        // Made in place of another, or an error the engine raised about another: it must read as it was written here.
        if (thrown !== error || shown.message !== messageOf(thrown)) wordAs(thrown, shown.message)
        this.append(stepFinished({ stepName, stepId, error: shown }))
        await this.journal({ type: 'settled', seq, command: 'call', name: requestedName, outcome: { ok: false, error: recordError(thrown) } })
      }
      throw thrown
    } finally {
      this.activeStepNames.splice(this.activeStepNames.lastIndexOf(stepName), 1)
    }
  }

  private async runNestedWorkflow(definition: WorkflowDefinition, stepName: string, rawInput: unknown, seq: string): Promise<unknown> {
    const input = await validateWithSchema(definition.input, rawInput)
    if (!input.ok) {
      throw new WorkflowError('invalid_input', `Input of workflow "${stepName}" is invalid: ${describeIssues(input.issues)}`)
    }
    const state = await this.startingState(definition, input.value, seq)
    // Its output, `fail(...)` included, is a value for the parent to inspect; only a throw fails the step.
    const returned = await this.runBody(definition, this.workflowContext(definition, input.value, state), seq)
    return validOutput(definition, returned)
  }

  /**
   * Ends the segment with an interrupt, journals the pause and ends this
   * execution: the lease is released and the generator is left suspended
   * here for the garbage collector. The decision is applied by replay.
   */
  private async pause(seq: string, command: PauseCommand): Promise<unknown> {
    const input = pendingInputOf(command)
    await this.deps.lock.run(this.runId, async () => {
      if (this.closed) throw new WorkflowError('aborted', 'Run aborted')
      // An abort sent to another process reaches this one at a lease renewal,
      // and a pause gives the lease up: one that came first wins over the pause.
      if (await this.lease.abortRequestedNow()) {
        await this.abort()
        throw new WorkflowError('aborted', 'Run aborted')
      }
      // The wait is a step of its own, started now so its timestamps span the wait.
      const step = waitStep(command, this.activeStepNames)
      let paused: PausedStepEntry | undefined
      await this.writer.enqueue(async () => {
        await this.writer.write(stepStarted(step))
        const suspendedSteps = this.writer.openSteps()
        // AG-UI wants no step open at RUN_FINISHED; the next segment reopens them under the same ids.
        for (const open of [...suspendedSteps].reverse()) {
          await this.writer.write(stepFinished(open, { metadata: { suspended: true } }))
        }
        await this.writer.write(pauseRequested(input))
        const state = this.rootState?.snapshot() ?? {}
        paused = { type: 'paused', seq, command: command.type, name: journalNameOf(command), pending: input, suspendedSteps, state }
        await this.writer.writeJournal(paused)
      })
      this.writer.throwIfFailed()
      // Paused in the record before the interrupt is in the log: a client that
      // sees the interrupt and answers at once must find the run paused.
      await this.writer.updateRecord((record) => {
        record.status = 'paused'
        record.pending = input
      })
      await this.writer.enqueue(() => this.writer.write(pauseInterrupted(this.runId, input)))
      this.writer.throwIfFailed()
      if (paused) await this.abortIfRequestedAt(paused)
      // Paused runs have no executor: whoever applies the decision takes the lease.
      await this.stopExecuting()
      this.deps.paused(this.runId, input)
    })
    // Never settles: this generator is done; a replay continues the run.
    return new Promise<never>(() => {})
  }

  /**
   * The executor's last look for an abort request, once the pause is
   * recorded and before the run has no executor. A process that saw the run
   * running asked the store for an abort and then looks at the record again:
   * if it still said running, the request was made before this look, which
   * finds it. The run is paused by now, so its abort gets a segment of its
   * own, as when an abort reaches a paused run. Caller holds the lock.
   */
  private async abortIfRequestedAt(paused: PausedStepEntry): Promise<void> {
    if (!(await this.lease.abortRequestedNow())) return
    // The run waits at this pause now, as a rebuilt one would (its body is never resumed): abort ends that wait.
    this.waiting = waitingAt(paused, undefined, () => {})
    await this.abort()
    throw new WorkflowError('aborted', 'Run aborted')
  }

  /**
   * Replay reached the recorded pause: check the state matches, then wait
   * here as the original execution did. From now on the run is live.
   */
  private waitAgain(entry: PausedStepEntry, payloadSchema: Schema | undefined): Promise<unknown> {
    const replay = this.replay!
    replay.checkPause(entry, this.rootState?.current() ?? {})
    this.replay = undefined
    // The resumed segment's snapshot is this state; deltas count from here.
    this.rootState?.takeDelta()
    const settled = new Promise<Settlement>((resolve) => {
      this.waiting = waitingAt(entry, payloadSchema, resolve)
    })
    replay.reachedPause()
    return settled.then((settlement) => {
      if (!settlement.ok) throw settlement.error
      return settlement.value
    })
  }

  /** Ends the wait: the resumed segment first, then the journal; only then does the body go on. */
  private async resume(waiting: Waiting, resumption: Resumption): Promise<number> {
    let start: number
    try {
      start = await this.startResumedSegment(waiting, resumption)
      await this.settleJournal(waiting, resumption.journal)
    } catch (error) {
      // The store refused a write: this execution cannot go on. Giving the
      // lease up lets the run be settled from its log (executor_lost),
      // instead of a lease renewed for a run nobody drives.
      await this.stopExecuting()
      this.deps.unsettled(this.runId)
      throw error
    }
    waiting.settle(resumption.settlement)
    return start
  }

  private async settleJournal(waiting: Waiting, { command, outcome }: Resumption['journal']): Promise<void> {
    await this.journal({ type: 'settled', seq: waiting.seq, command, name: pendingNameOf(waiting.input), outcome })
    this.writer.throwIfFailed()
  }

  private takeWaiting(): Waiting {
    const waiting = this.dropWaiting()
    if (!waiting) throw new Error('Run is not waiting')
    return waiting
  }

  /** Stops waiting, if the run was: the caller settles what this returns. */
  private dropWaiting(): Waiting | undefined {
    const waiting = this.waiting
    this.waiting = undefined
    return waiting
  }

  /**
   * RUN_STARTED, STATE_SNAPSHOT, the suspended steps again, then the pause's
   * own step finished with the decision. The record says `running` (with the
   * decision applied) before the segment is written (see `markReopening`).
   */
  private async startResumedSegment(waiting: Waiting, { step, applied }: Resumption): Promise<number> {
    const start = await this.writer.markReopening((record, segmentStart) => {
      if (applied) record.applied.push(applied(segmentStart))
    })
    await this.writer.enqueue(async () => {
      await this.writer.reopenSegment(this.rootState?.snapshot() ?? {}, waiting.suspendedSteps)
      const { stepName, stepId } = waiting.step
      await this.writer.write(stepFinished('error' in step ? { stepName, stepId, error: step.error } : { stepName, stepId, result: cloneJson(step.result) }))
    })
    this.writer.throwIfFailed()
    return start
  }

  /**
   * The state a body starts from. `initialize` cannot `yield* now()` or
   * `uuid()`, so it may well stamp the state with the time or an id: its
   * state is journalled when the body first starts, and a rebuilt run that
   * initializes to another state starts from that record (as JSON) instead
   * of failing the replay. One that initializes to the same state keeps what
   * `initialize` made, as the live body did.
   */
  private async startingState(definition: WorkflowDefinition, input: unknown, scope: string | undefined): Promise<object> {
    const seq = scope === undefined ? 'initialize' : `${scope}.initialize`
    const state = await initialState(definition, input)
    const json = recordableState(state)
    const recorded = this.replay?.recordedState(seq)
    if (recorded) return JSON.stringify(json) === JSON.stringify(recorded.value) ? state : (recorded.value as object)
    // A root state JSON cannot hold fails the run right after (invalid_state); a nested one is private and may hold anything.
    if (json !== undefined) await this.journal({ type: 'settled', seq, command: 'initialize', name: 'initialize', outcome: { ok: true, value: json } })
    return state
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
    this.append(custom(name, userEventValue(name, value)))
  }

  private flushState(): void {
    if (!this.rootState || this.replay) return
    const delta = this.rootState.takeDelta()
    if (delta.length > 0) this.append(stateDelta(delta))
  }

  /** Queues an event; while replaying, the event is already in the log and is skipped. */
  private append(event: WorkflowEvent): Promise<void> {
    if (this.replay) return Promise.resolve()
    return this.writer.append(event)
  }

  /** Queues a journal entry; while replaying, it is already in the journal and is skipped. */
  private journal(entry: StepJournalEntry): Promise<void> {
    if (this.replay) return Promise.resolve()
    return this.writer.journal(entry)
  }
}

/**
 * The JSON copy of a step's output that the log and the journal keep. A copy,
 * because the body may change what it gets later, and logged events never
 * change; taken before anything is written, so an output JSON cannot hold
 * (a BigInt, a cycle) fails the step with one STEP_FINISHED.
 */
function stepResultOf(stepName: string, output: unknown): unknown {
  try {
    return cloneJson(output)
  } catch (error) {
    throw errorAbout('invalid_output', `Output of step "${stepName}" is not JSON`, error)
  }
}

/**
 * What the body is thrown for a step that failed with `error`. An agent
 * cannot know the name its step runs under (it may be listed under another
 * key, or be a renamed duplicate), so a `StepFailedError` it throws (as
 * `mockAgent`'s `fail` does) is made to name the live step, the one the
 * body called; one a nested workflow lets go names its own inner step.
 */
function stepError(error: unknown, stepName: string, kind: 'agent' | 'workflow'): WorkflowError {
  if (!(error instanceof WorkflowError)) return new StepFailedError(stepName, messageOf(error), { cause: error })
  if (kind === 'agent' && error instanceof StepFailedError && error.stepName !== stepName) {
    return new StepFailedError(stepName, messageOf(error), { cause: error, code: error.code })
  }
  return error
}

/** The JSON copy of a state the journal can keep exactly, if it can. */
function recordableState(state: object): unknown {
  try {
    return strictJsonCopy(state)
  } catch {
    return undefined
  }
}
