import type { IndexedEvent, WorkflowRequest } from '@stepstream/protocol'
import type { Workflow } from './authoring/types.js'
import { LogReader } from './engine/log-reader.js'
import { buildRegistry, dispatch } from './requests/dispatch.js'
import { parseActionBody } from './requests/parse-action.js'
import type { RunStore } from './store/run-store.js'

type WithoutWorkflowName<T> = T extends unknown ? Omit<T, 'workflow'> : never

/** One request of PROTOCOL §4 plus the workflow and store to run it with. */
export type RunWorkflowOptions = WithoutWorkflowName<WorkflowRequest> & {
  workflow: Workflow
  runStore: RunStore
}

/** The events a request produced, as a closable async iterable. */
export interface WorkflowEventStream extends AsyncIterable<IndexedEvent> {
  readonly runId: string
  /** Index of the last event in the log when the stream opened (-1 if none). */
  readonly tailIndex: number
  /** Stops reading (the run goes on) and releases the subscription. */
  close(): void
}

/**
 * For hosts with their own transport: performs one request (start, approve,
 * signal, resume, abort) and returns the events to send back, exactly what
 * the HTTP handler would stream. Refusals reject with a `WorkflowRequestError`.
 * An abort resolves to an empty stream.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowEventStream> {
  const { workflow, runStore, ...request } = options
  const registry = buildRegistry({ [workflow.name]: workflow })
  // The request is validated like an HTTP body, so both paths accept and refuse the same things.
  const action = parseActionBody({ ...request, workflow: workflow.name })
  const result = await dispatch(registry, runStore, action)
  if (result.kind === 'aborted') {
    const tailIndex = await runStore.lastIndex(result.runId)
    return {
      runId: result.runId,
      tailIndex,
      close() {},
      async *[Symbol.asyncIterator]() {},
    }
  }
  const reader = await LogReader.open(runStore, result.plan)
  const tailIndex = await runStore.lastIndex(result.plan.runId)
  return {
    runId: result.plan.runId,
    tailIndex,
    close: () => reader.close(),
    [Symbol.asyncIterator]: () => reader[Symbol.asyncIterator](),
  }
}
