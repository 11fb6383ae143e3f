import type { WorkflowClientState } from '@stepstream/client'
import { batch, createComputed, createSignal, getOwner, onCleanup, untrack, type Accessor } from 'solid-js'
import { isServer } from 'solid-js/web'
import { bindActions, clientFor, clientOptionsOf, ownClientOptions, releaseClient } from '@stepstream/client'
import type { UseWorkflowOptions, UseWorkflowResult } from './types.js'

/** Options, or an accessor of them so props and signals in them stay current. */
export type MaybeAccessor<T> = T | Accessor<T>

type Fields<TOutput, TState> = WorkflowClientState<TOutput, TState>
type FieldSignals<TOutput, TState> = { [K in keyof Fields<TOutput, TState>]: Accessor<Fields<TOutput, TState>[K]> }

/**
 * One signal per field. The client publishes a new immutable state per chunk
 * and unchanged fields keep their identity, so with Solid's `===` equality
 * writing every field in one batch wakes only readers of fields that changed.
 */
function createFieldSignals<TOutput, TState>(initial: Fields<TOutput, TState>) {
  const read = {} as FieldSignals<TOutput, TState>
  const writers: ((state: Fields<TOutput, TState>) => void)[] = []
  for (const name of Object.keys(initial) as (keyof Fields<TOutput, TState>)[]) {
    const [get, set] = createSignal<unknown>(initial[name])
    ;(read as Record<string, Accessor<unknown>>)[name] = get
    // The function form, so a function-valued field is stored, not called.
    writers.push((state) => set(() => state[name]))
  }
  const write = (state: Fields<TOutput, TState>) => batch(() => writers.forEach((writeField) => writeField(state)))
  return { read, write }
}

/**
 * Follows a workflow run with fine-grained reads: `wf.status` in JSX re-runs
 * only when the status changes, not on every streamed token. `options` may be
 * an accessor: its callbacks stay current and a new `id` switches clients.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: MaybeAccessor<UseWorkflowOptions<TInput, TOutput, TState>>,
): UseWorkflowResult<TInput, TOutput, TState> {
  const readOptions = () => (typeof options === 'function' ? options() : options)
  const initial = untrack(readOptions)
  const initialOwn = ownClientOptions(initial)
  let id = initialOwn?.id
  const [client, setClient] = createSignal(clientFor(initial))
  // The client this created, while it still follows it, and how to let go of
  // it. Kept apart from the current options because the options may hand that
  // same client back as a shared one (its own `wf.client`): it is still this
  // one's to let go of, once, when it stops following it.
  let owned = initialOwn ? untrack(client) : undefined
  let stopOnUnmount = initialOwn?.stopOnUnmount
  const fields = createFieldSignals(untrack(client).state)

  // During SSR nothing subscribes and nothing connects: the server renders the initial state.
  let unsubscribe = () => {}
  const follow = () => {
    unsubscribe()
    const current = untrack(client)
    fields.write(current.state)
    if (!isServer) unsubscribe = current.subscribe(fields.write)
  }
  follow()

  // Not a memo: a client is a resource, and this must run exactly once per change.
  createComputed(() => {
    const options = readOptions()
    untrack(() => {
      const own = ownClientOptions(options)
      if (own && owned && own.id === id) {
        stopOnUnmount = own.stopOnUnmount
        return owned.setOptions(clientOptionsOf(own))
      }
      // The same shared client, or this one's own client now given as shared: nothing to switch.
      if (!own && options.client === client()) return
      // Only an owned client is let go; a shared one belongs to its owner.
      if (owned) releaseClient(owned, stopOnUnmount)
      id = own?.id
      setClient(() => clientFor(options))
      owned = own ? client() : undefined
      stopOnUnmount = own?.stopOnUnmount
      follow()
    })
  })
  if (getOwner()) {
    onCleanup(() => {
      unsubscribe()
      if (owned) releaseClient(owned, stopOnUnmount)
    })
  }

  const { read } = fields
  return {
    ...bindActions(() => untrack(client)),
    get client() {
      return client()
    },
    get status() {
      return read.status()
    },
    get connection() {
      return read.connection()
    },
    get runId() {
      return read.runId()
    },
    get steps() {
      return read.steps()
    },
    get currentStep() {
      return read.currentStep()
    },
    get currentText() {
      return read.currentText()
    },
    get pendingApproval() {
      return read.pendingApproval()
    },
    get pendingSignal() {
      return read.pendingSignal()
    },
    get state() {
      return read.state()
    },
    get output() {
      return read.output()
    },
    get error() {
      return read.error()
    },
    get lastEventIndex() {
      return read.lastEventIndex()
    },
  }
}
