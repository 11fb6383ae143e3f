import type { OwnClientOptions, WorkflowClientState } from '@stepstream/client'
import { batch, createComputed, createSignal, getOwner, onCleanup, onMount, sharedConfig, untrack, type Accessor } from 'solid-js'
import { isServer } from 'solid-js/web'
import { bindActions, FollowedClient, initialWorkflowState } from '@stepstream/client'
import { createStepViews } from './step-views.js'
import type { UseWorkflowOptions, UseWorkflowResult } from './types.js'

/** Options, or an accessor of them so props and signals in them stay current. */
export type MaybeAccessor<T> = T | Accessor<T>

/**
 * Every option `useWorkflow` reads, and nothing else: a component's props
 * passed as options also hold `children` and the like, which must not be read
 * (reading `children` renders them). Typed so a new client option cannot be
 * left out.
 */
const optionNames: { readonly [K in keyof OwnClientOptions]-?: true } = {
  connection: true,
  body: true,
  input: true,
  output: true,
  state: true,
  validate: true,
  reconnect: true,
  idleTimeoutMs: true,
  throttleMs: true,
  onEvent: true,
  onCustomEvent: true,
  onStateChange: true,
  onFinish: true,
  onError: true,
  id: true,
  stopOnUnmount: true,
  client: true,
}
const optionKeys = Object.keys(optionNames) as (keyof OwnClientOptions)[]

/**
 * The options as they are now, read one by one: a props object or a store
 * hands out each option through a getter, so reading them inside a
 * computation is what makes it follow their changes.
 */
function readEach<TInput, TOutput, TState>(options: UseWorkflowOptions<TInput, TOutput, TState>): UseWorkflowOptions<TInput, TOutput, TState> {
  const source: Partial<Record<keyof OwnClientOptions, unknown>> = options
  const read: Partial<Record<keyof OwnClientOptions, unknown>> = {}
  for (const key of optionKeys) {
    const value = source[key]
    if (value !== undefined) read[key] = value
  }
  return read as UseWorkflowOptions<TInput, TOutput, TState>
}

type Fields<TOutput, TState> = WorkflowClientState<TOutput, TState>
type FieldSignals<TOutput, TState> = { [K in keyof Fields<TOutput, TState>]: Accessor<Fields<TOutput, TState>[K]> }

/**
 * One signal per field. The client publishes a new immutable state per chunk
 * and unchanged fields keep their identity, so with Solid's `===` equality
 * writing every field in one batch wakes only readers of fields that changed.
 * Steps are shown as views that keep their identity (see `createStepViews`).
 */
function createFieldSignals<TOutput, TState>(initial: Fields<TOutput, TState>) {
  const views = createStepViews()
  const shown = (state: Fields<TOutput, TState>): Fields<TOutput, TState> => ({
    ...state,
    steps: views.steps(state.steps),
    currentStep: views.current(state.currentStep),
  })
  const read = {} as FieldSignals<TOutput, TState>
  const writers: ((state: Fields<TOutput, TState>) => void)[] = []
  const first = shown(initial)
  for (const name of Object.keys(first) as (keyof Fields<TOutput, TState>)[]) {
    const [get, set] = createSignal<unknown>(first[name])
    ;(read as Record<string, Accessor<unknown>>)[name] = get
    // The function form, so a function-valued field is stored, not called.
    writers.push((state) => set(() => state[name]))
  }
  const write = (state: Fields<TOutput, TState>) =>
    batch(() => {
      const next = shown(state)
      writers.forEach((writeField) => writeField(next))
    })
  return { read, write }
}

/**
 * Follows a workflow run with fine-grained reads: `wf.status` in JSX re-runs
 * only when the status changes, not on every streamed token.
 *
 * Options are followed as they change, whether given as an accessor
 * (`() => ({ connection, body: { tenant: tenant() } })`) or as an object
 * whose options are getters, such as a component's props (`useWorkflow(props)`,
 * or props merged with `mergeProps`): a new `id` (or shared `client`) switches
 * clients, any other change reconfigures the current one in place, so its
 * callbacks are never stale and its next request uses the new body. A plain
 * object literal holds values, not getters, so it is read once.
 */
export function useWorkflow<TInput = unknown, TOutput = unknown, TState = unknown>(
  options: MaybeAccessor<UseWorkflowOptions<TInput, TOutput, TState>>,
): UseWorkflowResult<TInput, TOutput, TState> {
  const readOptions = () => readEach(typeof options === 'function' ? options() : options)
  // Which client to follow, and whether it is this one's to let go of.
  let followed = new FollowedClient(untrack(readOptions))
  const [client, setClient] = createSignal(followed.client)
  // Hydrating, Solid keeps the server's text, so the fields first hold what
  // the server rendered (a client there never fetches: the initial state) and
  // the client's own state once hydrated: what a shared client the page put
  // to work before hydrate() differs in is then shown, not left as rendered.
  let hydrating = !isServer && !!sharedConfig.context
  const fields = createFieldSignals(hydrating ? initialWorkflowState<TOutput, TState>() : untrack(client).state)

  // During SSR nothing subscribes and nothing connects: the server renders the initial state.
  let unsubscribe = () => {}
  const follow = () => {
    unsubscribe()
    const current = untrack(client)
    if (!hydrating) fields.write(current.state)
    if (!isServer) unsubscribe = current.subscribe(fields.write)
  }
  follow()
  if (hydrating)
    onMount(() => {
      hydrating = false
      fields.write(untrack(client).state)
    })

  const apply = (options: UseWorkflowOptions<TInput, TOutput, TState>) =>
    untrack(() => {
      const previous = followed
      followed = followed.next(options)
      if (followed === previous) return
      setClient(() => followed.client)
      follow()
    })
  // Not a memo: a client is a resource, and this must run exactly once per change.
  createComputed(() => apply(readOptions()))
  // Inside a batch or an effect, Solid runs the computation above only once
  // that is over, so an action right after the change (a new id, then
  // start()) reads the options itself: it must not act on the client the
  // change is about to leave. Not once cleaned up: a client made then would
  // never be let go of.
  let live = true
  const current = () => {
    if (live) apply(untrack(readOptions))
    return untrack(client)
  }
  if (getOwner()) {
    // For good: a client of its own calls none of the owner's callbacks any
    // more, even one queued before (a finish, a stop's abort answer).
    onCleanup(() => {
      live = false
      unsubscribe()
      followed.dispose()
    })
  }

  const { read } = fields
  return {
    ...bindActions(current),
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
