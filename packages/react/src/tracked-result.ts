import { initialWorkflowState, type WorkflowClientState } from '@stepstream/client'

type StateField = keyof WorkflowClientState
const STATE_FIELDS = Object.keys(initialWorkflowState()) as StateField[]

/**
 * The object a component renders with: one enumerable getter per state field
 * (so destructuring and spreading work) that records the read before
 * returning the value of this render's snapshot, plus plain extra members
 * (actions, the client) that are not tracked.
 */
export function trackedResult<TOutput, TState, TExtra extends object>(
  snapshot: WorkflowClientState<TOutput, TState>,
  tracked: Set<StateField>,
  extra: TExtra,
): Readonly<WorkflowClientState<TOutput, TState>> & TExtra {
  const result = { ...extra }
  for (const field of STATE_FIELDS) {
    Object.defineProperty(result, field, {
      enumerable: true,
      get() {
        tracked.add(field)
        return snapshot[field]
      },
    })
  }
  return result as Readonly<WorkflowClientState<TOutput, TState>> & TExtra
}
