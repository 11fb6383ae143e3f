import { bindActions, type WorkflowActions, type WorkflowClient } from '@stepstream/client'
import { useState } from 'react'
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
  const [actions] = useState(() => bindActions(() => latest.current))
  return actions
}
