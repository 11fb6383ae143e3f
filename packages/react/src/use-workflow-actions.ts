import type { WorkflowClient } from '@stepstream/client'
import { useState } from 'react'
import type { WorkflowActions } from './types.js'
import { useLatest } from './use-latest.js'

/**
 * The client's actions as functions made once per hook instance, so they can
 * sit in dependency arrays and memoized children without churn. They call the
 * client of the last committed render, which after an `id` change is the new
 * one.
 */
export function useWorkflowActions<TInput, TOutput, TState>(
  client: WorkflowClient<TInput, TOutput, TState>,
): WorkflowActions<TInput, TOutput, TState> {
  const latest = useLatest(client)
  const [actions] = useState<WorkflowActions<TInput, TOutput, TState>>(() => ({
    start: (input, options) => latest.current.start(input, options),
    approve: (approved, feedback) => latest.current.approve(approved, feedback),
    signal: (name, payload, options) => latest.current.signal(name, payload, options),
    attach: (runId, options) => latest.current.attach(runId, options),
    resume: () => latest.current.resume(),
    stop: () => latest.current.stop(),
    disconnect: () => latest.current.disconnect(),
    reset: () => latest.current.reset(),
  }))
  return actions
}
