/**
 * Runs a validated action against the engine. Shared by the HTTP handler and
 * `runWorkflow`, so both refuse and answer in exactly the same way.
 */
import type { Workflow } from '../authoring/types.js'
import { definitionOf, type WorkflowDefinition } from '../authoring/definitions.js'
import { engineFor, type ServedWorkflow } from '../engine/engine.js'
import type { ReadPlan } from '../engine/log-reader.js'
import type { ErrorWording } from '../error-message.js'
import { WorkflowRequestError } from '../errors.js'
import type { RunStore } from '../store/run-store.js'
import type { ActionRequest } from './action.js'

export type WorkflowRegistry = ReadonlyMap<string, WorkflowDefinition>

export type DispatchResult = { kind: 'stream'; plan: ReadPlan } | { kind: 'aborted'; runId: string }

export function buildRegistry(workflows: Readonly<Record<string, Workflow>>): WorkflowRegistry {
  const registry = new Map<string, WorkflowDefinition>()
  for (const [name, workflow] of Object.entries(workflows)) {
    const definition = definitionOf(workflow)
    if (definition?.kind !== 'workflow') throw new TypeError(`"${name}" is not a workflow made with defineWorkflow/defineOrchestrator`)
    registry.set(name, definition)
  }
  if (registry.size === 0) throw new TypeError('At least one workflow is required')
  return registry
}

/** The workflow a request that names none means, if there is only one. */
export function onlyWorkflowName(registry: WorkflowRegistry): string | undefined {
  return registry.size === 1 ? [...registry.keys()][0] : undefined
}

/** Which served workflow a request means: its `workflow` field, or the only one there is. */
export function selectWorkflow(registry: WorkflowRegistry, requested: string | undefined): { name: string; definition: WorkflowDefinition } {
  if (requested === undefined) {
    const name = onlyWorkflowName(registry)
    if (name !== undefined) return { name, definition: registry.get(name)! }
    throw new WorkflowRequestError('invalid_request', `Name the workflow: one of ${[...registry.keys()].join(', ')}`)
  }
  const definition = registry.get(requested)
  if (!definition) throw new WorkflowRequestError('invalid_request', `Unknown workflow "${requested}"`)
  return { name: requested, definition }
}

/** `wording` is how the caller words its runs' unexpected errors for clients. */
export async function dispatch(registry: WorkflowRegistry, store: RunStore, request: ActionRequest, wording: ErrorWording): Promise<DispatchResult> {
  const engine = engineFor(store)
  const served = (name: string, definition: WorkflowDefinition): ServedWorkflow => ({ name, definition, wording })
  // Paused runs are rebuilt from their workflow's definition, found by the name the run was started under.
  const workflows = (name: string) => {
    const definition = registry.get(name)
    return definition && served(name, definition)
  }
  // Runs are found by id alone; a `workflow` field on later actions must agree with the run's.
  const workflowName = request.workflow === undefined ? undefined : selectWorkflow(registry, request.workflow).name
  switch (request.action) {
    case 'start': {
      const { name, definition } = selectWorkflow(registry, request.workflow)
      const plan = await engine.start({ workflow: served(name, definition), input: request.input, ...(request.runId === undefined ? {} : { runId: request.runId }) })
      return { kind: 'stream', plan }
    }
    case 'approve':
      return { kind: 'stream', plan: await engine.approve(request.runId, request.approval, workflows, workflowName) }
    case 'signal':
      return { kind: 'stream', plan: await engine.signal(request.runId, request.signal, workflows, workflowName) }
    case 'resume':
      return { kind: 'stream', plan: await engine.resume(request.runId, request.startIndex, workflows, workflowName) }
    case 'abort':
      await engine.abort(request.runId, workflows, workflowName)
      return { kind: 'aborted', runId: request.runId }
  }
}
