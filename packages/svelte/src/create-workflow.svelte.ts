import {
  bindActions,
  clientFor,
  clientOptionsOf,
  ownClientOptions,
  releaseClient,
  type ConnectionStatus,
  type PendingApproval,
  type PendingSignal,
  type UseWorkflowOptions,
  type WorkflowActions,
  type WorkflowClient,
  type WorkflowClientState,
  type WorkflowErrorInfo,
  type WorkflowStatus,
  type WorkflowStep,
} from '@stepstream/client'
import { untrack } from 'svelte'

/**
 * One `$state.raw` per field: the client publishes a new immutable state per
 * chunk with unchanged fields keeping their identity, so assigning every field
 * wakes only the readers of fields that changed, and large state is never
 * deep-proxied.
 */
class WorkflowFields<TOutput, TState> {
  status = $state.raw<WorkflowStatus>('idle')
  connection = $state.raw<ConnectionStatus>('idle')
  runId = $state.raw<string | null>(null)
  steps = $state.raw<readonly WorkflowStep[]>([])
  currentStep = $state.raw<WorkflowStep | null>(null)
  currentText = $state.raw('')
  pendingApproval = $state.raw<PendingApproval | null>(null)
  pendingSignal = $state.raw<PendingSignal | null>(null)
  state = $state.raw<TState | undefined>(undefined)
  output = $state.raw<TOutput | undefined>(undefined)
  error = $state.raw<WorkflowErrorInfo | null>(null)
  lastEventIndex = $state.raw(-1)

  assign(next: WorkflowClientState<TOutput, TState>): void {
    this.status = next.status
    this.connection = next.connection
    this.runId = next.runId
    this.steps = next.steps
    this.currentStep = next.currentStep
    this.currentText = next.currentText
    this.pendingApproval = next.pendingApproval
    this.pendingSignal = next.pendingSignal
    this.state = next.state
    this.output = next.output
    this.error = next.error
    this.lastEventIndex = next.lastEventIndex
  }
}

/** Reactive getters for every state field, the actions, and the current client. */
export type Workflow<TInput = unknown, TOutput = unknown, TState = unknown> = Readonly<WorkflowClientState<TOutput, TState>> &
  Readonly<WorkflowActions<TInput, TOutput, TState>> & {
    /** The client behind it (a new one after `id` changes). */
    readonly client: WorkflowClient<TInput, TOutput, TState>
  }

/**
 * The runes form: `const wf = createWorkflow(() => ({ connection, id }))`, then
 * read `wf.status`, `wf.currentText`… in markup or `$derived`. The options
 * getter is tracked: callbacks stay current and a new `id` switches clients.
 * Call it during component initialisation (or inside `$effect.root` in
 * tests); the connection is let go when that owner is destroyed.
 */
export function createWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  getOptions: () => UseWorkflowOptions<TInput, TOutput, TState>,
): Workflow<TInput, TOutput, TState> {
  const initial = untrack(getOptions)
  const fields = new WorkflowFields<TOutput, TState>()
  // During SSR nothing subscribes: effects never run there to undo it.
  const isServer = typeof window === 'undefined'
  const initialOwn = ownClientOptions(initial)
  let id = initialOwn?.id
  // Reactive like the fields, so what follows `wf.client` (a child given it
  // as a prop) switches with it.
  let client = $state.raw(clientFor(initial))
  // The client this created, while it still follows it, and how to let go of
  // it. Kept apart from the current options because the options may hand that
  // same client back as a shared one (its own `wf.client`): it is still this
  // one's to let go of, once, when it stops following it.
  let owned = initialOwn ? client : undefined
  let stopOnUnmount = initialOwn?.stopOnUnmount
  let unsubscribe = () => {}
  const follow = () => {
    unsubscribe()
    fields.assign(client.state)
    if (!isServer) unsubscribe = client.subscribe((state) => fields.assign(state))
  }
  follow()

  $effect.pre(() => {
    const options = getOptions()
    untrack(() => {
      const own = ownClientOptions(options)
      if (own && owned && own.id === id) {
        stopOnUnmount = own.stopOnUnmount
        return owned.setOptions(clientOptionsOf(own))
      }
      // The same shared client, or this one's own client now given as shared: nothing to switch.
      if (!own && options.client === client) return
      // Only an owned client is let go; a shared one belongs to its owner.
      if (owned) releaseClient(owned, stopOnUnmount)
      id = own?.id
      client = clientFor(options)
      owned = own ? client : undefined
      stopOnUnmount = own?.stopOnUnmount
      follow()
    })
  })
  $effect(() => () => {
    unsubscribe()
    if (owned) releaseClient(owned, stopOnUnmount)
  })

  return {
    ...bindActions(() => client),
    get client() {
      return client
    },
    get status() {
      return fields.status
    },
    get connection() {
      return fields.connection
    },
    get runId() {
      return fields.runId
    },
    get steps() {
      return fields.steps
    },
    get currentStep() {
      return fields.currentStep
    },
    get currentText() {
      return fields.currentText
    },
    get pendingApproval() {
      return fields.pendingApproval
    },
    get pendingSignal() {
      return fields.pendingSignal
    },
    get state() {
      return fields.state
    },
    get output() {
      return fields.output
    },
    get error() {
      return fields.error
    },
    get lastEventIndex() {
      return fields.lastEventIndex
    },
  }
}

/** `createWorkflow` in orchestration vocabulary, for a `defineOrchestrator` run. */
export const createOrchestration: typeof createWorkflow = createWorkflow
