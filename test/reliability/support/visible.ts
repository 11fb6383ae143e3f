import type { WorkflowClientState } from '@stepstream/client'

/**
 * What a UI shows, minus what differs between two runs of the same input
 * (random step, message and approval ids, timestamps, connection history).
 */
export function visible(state: WorkflowClientState) {
  return {
    status: state.status,
    steps: state.steps.map((step) => ({ name: step.stepName, type: step.stepType, status: step.status, text: step.text, result: withoutApprovalId(step.result), error: step.error })),
    currentText: state.currentText,
    state: state.state,
    output: state.output,
    error: state.error,
    pendingApproval: state.pendingApproval && { title: state.pendingApproval.title, description: state.pendingApproval.description },
    lastEventIndex: state.lastEventIndex,
  }
}

/** An approval step's result carries the run's random approval id. */
function withoutApprovalId(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !('approvalId' in result)) return result
  const { approvalId: _approvalId, ...rest } = result as Record<string, unknown>
  return rest
}
