import { bindActions, type FollowedClient, type UseWorkflowOptions, type WorkflowActions } from '@stepstream/client'
import { useState } from 'react'
import { useLatest } from './use-latest.js'

/**
 * The client's actions as functions made once per hook instance, so they can
 * sit in dependency arrays and memoized children without churn. They call the
 * client of the last committed render, which after an `id` change is the new
 * one, with that render's options applied first: a child's layout effect
 * acting in that commit runs before the hook's own effect configures them.
 */
export function useWorkflowActions<TInput, TOutput, TState>(
  followed: FollowedClient<TInput, TOutput, TState>,
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): WorkflowActions<TInput, TOutput, TState> {
  const latest = useLatest({ followed, options })
  const [actions] = useState(() =>
    bindActions(() => {
      const { followed, options } = latest.current
      followed.configure(options)
      return followed.client
    }),
  )
  return actions
}
