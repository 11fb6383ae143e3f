import {
  bindActions,
  FollowedClient,
  ownClientOptions,
  workflowStateFields,
  type SharedClientOptions,
  type WorkflowClient,
  type WorkflowClientOptions,
} from '@stepstream/client'
import { computed, getCurrentScope, onScopeDispose, shallowReadonly, shallowRef, toRaw, toValue, watch, type MaybeRefOrGetter } from 'vue'
import type { UseWorkflowOptions, UseWorkflowOwnOptions, UseWorkflowResult, UseWorkflowSharedOptions, WorkflowRefs } from './types.js'

declare const process: { env: { NODE_ENV?: string } }

/**
 * Written as the literal `process.env.NODE_ENV` that an app's bundler
 * replaces, so a production bundle drops the warnings (a browser has no
 * `process` to ask at run time). Unbundled, with no `process`, it is development.
 */
function isDev(): boolean {
  try {
    return process.env.NODE_ENV !== 'production'
  } catch {
    return true
  }
}

function clientOptionsOf<TInput, TOutput, TState>(options: UseWorkflowOwnOptions<TInput, TOutput, TState>): WorkflowClientOptions<TInput, TOutput, TState> {
  const { id: _id, stopOnUnmount: _stopOnUnmount, client: _client, body, ...rest } = options
  return {
    ...rest,
    // The client reads `options.body` at every request, reconnects included,
    // so a getter keeps a ref or getter body current without a watcher.
    get body() {
      return toValue(body)
    },
  }
}

function sharedClientOf<TInput, TOutput, TState>(options: UseWorkflowOptions<TInput, TOutput, TState>): WorkflowClient<TInput, TOutput, TState> | undefined {
  // A client kept in ref() or reactive state (Pinia's included) arrives as a
  // deep proxy, on which its #private members throw and which is not the
  // client it wraps (ownership compares identity): follow the client itself.
  return toRaw(toValue((options as Partial<UseWorkflowSharedOptions<TInput, TOutput, TState>>).client))
}

/** Own options with the `id` read, as `FollowedClient` compares it. */
type OwnOptionsRead<TInput, TOutput, TState> = Omit<UseWorkflowOwnOptions<TInput, TOutput, TState>, 'id'> & { id?: string | undefined }

/**
 * The options with what `FollowedClient` compares read: the own `id`, or the
 * shared `client`. Each own option is given as itself: options kept in
 * reactive state (a ref() or reactive() of them, a store) hand out deep
 * proxies, which a schema's locked internals (zod's) refuse to be read through.
 */
function readOptions<TInput, TOutput, TState>(
  options: UseWorkflowOptions<TInput, TOutput, TState>,
): OwnOptionsRead<TInput, TOutput, TState> | SharedClientOptions<TInput, TOutput, TState> {
  const own = ownClientOptions(options)
  if (!own) return { client: sharedClientOf(options)! }
  const raw = Object.fromEntries(Object.entries(own).map(([name, value]) => [name, toRaw(value)])) as typeof own
  return { ...raw, id: toValue(own.id) }
}

/**
 * A composable over a `WorkflowClient`: a readonly ref per state field plus
 * the actions. The client's state sits in one `shallowRef` (large state is
 * never deep-proxied); each field is a `computed` over it, and Vue notifies a
 * reader only when that field's value changed, so a template that shows
 * `status` does not re-render while text streams.
 *
 * `options` may be a getter or a ref (e.g. a `computed`): what it reads is
 * followed, as React's hook takes each render's options. A new `id` (or
 * shared `client`) switches clients; any other change reconfigures the
 * current client in place, so its run goes on with the new callbacks and
 * its next request uses the new connection.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: MaybeRefOrGetter<UseWorkflowOptions<TInput, TOutput, TState>>,
): UseWorkflowResult<TInput, TOutput, TState> {
  const scope = getCurrentScope()
  if (!scope && isDev()) {
    console.warn(
      '[stepstream] useWorkflow() was called outside a component setup() or an effectScope(), so nothing will close its connection. ' +
        'Call it in setup(), or inside effectScope().run() and stop that scope when you are done.',
    )
  }
  // Which client to follow, and whether it is this composable's to let go of.
  let followed = new FollowedClient(readOptions(toValue(options)), clientOptionsOf)
  const client = shallowRef(followed.client)
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
  follow()

  const reconfigure = (next: UseWorkflowOptions<TInput, TOutput, TState>) => {
    const previous = followed
    followed = followed.next(readOptions(next))
    if (followed === previous) return
    client.value = followed.client
    follow()
  }
  if (!isServer) {
    watch(
      // Reads all it follows: each option (spread, so a reactive object's
      // fields count too), a ref or getter `id` and a ref or getter `client`.
      () => {
        const next = { ...toValue(options) }
        return [next, toValue(ownClientOptions(next)?.id), sharedClientOf(next)] as const
      },
      ([next]) => reconfigure(next),
      // At once, so an action called right after the change (in the same
      // click handler) already uses the new connection.
      { flush: 'sync' },
    )
  }
  if (scope) {
    // For good: a client of its own calls none of the component's callbacks
    // any more, even one queued before (a finish, a stop's abort answer).
    onScopeDispose(() => {
      unsubscribe()
      followed.dispose()
    })
  }

  const refs = Object.fromEntries(workflowStateFields.map((name) => [name, computed(() => snapshot.value[name])])) as WorkflowRefs<TOutput, TState>
  return { ...refs, ...bindActions(() => client.value), client: shallowReadonly(client) }
}
