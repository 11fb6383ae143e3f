import { WorkflowClient, type WorkflowClientOptions } from '@stepstream/client'
import type { UseWorkflowOptions, UseWorkflowOwnOptions, WorkflowActions } from './types.js'

export function ownOptions<TInput, TOutput, TState>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): UseWorkflowOwnOptions<TInput, TOutput, TState> | undefined {
  return options.client ? undefined : (options as UseWorkflowOwnOptions<TInput, TOutput, TState>)
}

export function clientOptions<TInput, TOutput, TState>(
  options: UseWorkflowOwnOptions<TInput, TOutput, TState>,
): WorkflowClientOptions<TInput, TOutput, TState> {
  const { id: _id, stopOnUnmount: _stopOnUnmount, client: _client, ...rest } = options
  return rest
}

export function clientFor<TInput, TOutput, TState>(options: UseWorkflowOptions<TInput, TOutput, TState>): WorkflowClient<TInput, TOutput, TState> {
  const own = ownOptions(options)
  return own ? new WorkflowClient(clientOptions(own)) : (options.client as WorkflowClient<TInput, TOutput, TState>)
}

/** Lets go of an owned client: closes its stream, or aborts the run with `stopOnUnmount`. */
export function letGo<TInput, TOutput, TState>(client: WorkflowClient<TInput, TOutput, TState>, stopOnUnmount: boolean | undefined): void {
  if (stopOnUnmount) void client.stop()
  else client.disconnect()
}

/** Actions bound to whatever client `current()` returns when they are called. */
export function bindActions<TInput, TOutput, TState>(current: () => WorkflowClient<TInput, TOutput, TState>): WorkflowActions<TInput, TOutput, TState> {
  return {
    start: (input, options) => current().start(input, options),
    approve: (approved, feedback) => current().approve(approved, feedback),
    signal: (name, payload, options) => current().signal(name, payload, options),
    attach: (runId, options) => current().attach(runId, options),
    resume: () => current().resume(),
    stop: () => current().stop(),
    disconnect: () => current().disconnect(),
    reset: () => current().reset(),
  }
}
