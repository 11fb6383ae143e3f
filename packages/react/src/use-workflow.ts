import { initialWorkflowState, type WorkflowClientState } from '@stepstream/client'
import type { UseWorkflowOptions, UseWorkflowResult } from './types.js'
import { trackedResult } from './tracked-result.js'
import { useTrackedSnapshot } from './use-tracked-snapshot.js'
import { useWorkflowActions } from './use-workflow-actions.js'
import { useWorkflowClient } from './use-workflow-client.js'

/** What every client starts from, so what the server renders and hydration expects. */
const SERVER_SNAPSHOT = initialWorkflowState()

/**
 * Follows a workflow run: the state fields of `WorkflowClient` plus its
 * actions, typed from the `input` / `output` / `state` schemas. The component
 * re-renders only when a field it has read changes.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): UseWorkflowResult<TInput, TOutput, TState> {
  const followed = useWorkflowClient(options)
  const { client } = followed
  const { snapshot, tracked } = useTrackedSnapshot(client, SERVER_SNAPSHOT as WorkflowClientState<TOutput, TState>)
  const actions = useWorkflowActions(followed, options)
  return trackedResult(snapshot, tracked, { ...actions, client })
}
