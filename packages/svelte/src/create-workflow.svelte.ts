import {
  bindActions,
  FollowedClient,
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
  // Which client to follow, and whether it is this one's to let go of.
  let followed = new FollowedClient(initial)
  // Reactive like the fields, so what follows `wf.client` (a child given it
  // as a prop) switches with it.
  let client = $state.raw(followed.client)
  let unsubscribe = () => {}
  const follow = () => {
    unsubscribe()
    fields.assign(client.state)
    if (!isServer) unsubscribe = client.subscribe((state) => fields.assign(state))
  }
  follow()

  const apply = (options: UseWorkflowOptions<TInput, TOutput, TState>) =>
    untrack(() => {
      const previous = followed
      followed = followed.next(options)
      if (followed === previous) return
      client = followed.client
      follow()
    })
  $effect.pre(() => apply(getOptions()))
  // Effects flush a microtask after a change, so an action called in the same
  // handler as the change (a new id, then start()) reads the options itself:
  // it must not act on the client or connection the change just left. Not
  // once torn down: a client made then would never be let go of.
  let live = true
  const current = () => {
    if (live) apply(untrack(getOptions))
    return client
  }
  // For good: a client of its own calls none of the owner's callbacks any
  // more, even one queued before (a finish, a stop's abort answer).
  $effect(() => () => {
    live = false
    unsubscribe()
    followed.dispose()
  })

  return {
    ...bindActions(current),
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
