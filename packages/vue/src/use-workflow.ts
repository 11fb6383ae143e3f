import { bindActions, releaseClient, workflowStateFields, WorkflowClient, type WorkflowClientOptions } from '@stepstream/client'
import { computed, getCurrentScope, onScopeDispose, shallowReadonly, shallowRef, toValue, watch } from 'vue'
import type { UseWorkflowOptions, UseWorkflowOwnOptions, UseWorkflowResult, UseWorkflowSharedOptions, WorkflowRefs } from './types.js'

function isDev(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return env?.NODE_ENV !== 'production'
}

function createClient<TInput, TOutput, TState>(options: UseWorkflowOwnOptions<TInput, TOutput, TState>): WorkflowClient<TInput, TOutput, TState> {
  const { id: _id, stopOnUnmount: _stopOnUnmount, client: _client, body, ...rest } = options
  const clientOptions: WorkflowClientOptions<TInput, TOutput, TState> = {
    ...rest,
    // The client reads `options.body` at every request, reconnects included,
    // so a getter keeps a ref or getter body current without a watcher.
    get body() {
      return toValue(body)
    },
  }
  return new WorkflowClient(clientOptions)
}

/**
 * A composable over a `WorkflowClient`: a readonly ref per state field plus
 * the actions. The client's state sits in one `shallowRef` (large state is
 * never deep-proxied); each field is a `computed` over it, and Vue notifies a
 * reader only when that field's value changed, so a template that shows
 * `status` does not re-render while text streams.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): UseWorkflowResult<TInput, TOutput, TState> {
  const scope = getCurrentScope()
  if (!scope && isDev()) {
    console.warn(
      '[stepstream] useWorkflow() was called outside a component setup() or an effectScope(), so nothing will close its connection. ' +
        'Call it in setup(), or inside effectScope().run() and stop that scope when you are done.',
    )
  }
  const own = options.client ? undefined : (options as UseWorkflowOwnOptions<TInput, TOutput, TState>)
  const shared = () => toValue((options as UseWorkflowSharedOptions<TInput, TOutput, TState>).client)
  const client = shallowRef(own ? createClient(own) : shared())
  const snapshot = shallowRef(client.value.state)

  // During SSR nothing subscribes (no scope disposal runs there to undo it),
  // and nothing connects: the server renders the initial state.
  const isServer = typeof window === 'undefined'
  let unsubscribe = () => {}
  const follow = () => {
    unsubscribe()
    snapshot.value = client.value.state
    if (!isServer) unsubscribe = client.value.subscribe((state) => (snapshot.value = state))
  }
  const letGo = (owned: WorkflowClient<TInput, TOutput, TState>) => releaseClient(owned, own?.stopOnUnmount)
  follow()

  if (!own) {
    watch(shared, (next) => {
      client.value = next
      follow()
    })
  } else if (own.id !== undefined) {
    watch(
      () => toValue(own.id),
      () => {
        letGo(client.value)
        client.value = createClient(own)
        follow()
      },
    )
  }
  if (scope) {
    onScopeDispose(() => {
      unsubscribe()
      if (own) letGo(client.value)
    })
  }

  const refs = Object.fromEntries(workflowStateFields.map((name) => [name, computed(() => snapshot.value[name])])) as WorkflowRefs<TOutput, TState>
  return { ...refs, ...bindActions(() => client.value), client: shallowReadonly(client) }
}
