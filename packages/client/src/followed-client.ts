/**
 * Which client an adapter follows, and whether it is the adapter's to let go
 * of. Every adapter makes the same decision on each new set of options; it
 * lives here once so the adapters cannot drift apart on it.
 */
import { clientOptionsOf, ownClientOptions, releaseClient, withoutCallbacks, type AdapterOnlyOptions, type AdapterOptions, type OwnClientOptions, type SharedClientOptions } from './adapter.js'
import type { WorkflowClientState } from './state.js'
import type { WorkflowClientOptions } from './client-options.js'
import { WorkflowClient } from './workflow-client.js'

/**
 * What `FollowedClient` reads of an adapter's own options. The rest is the
 * adapter's business: its `clientOptions` turns them into the client's (Vue's
 * keeps a ref `body` live with a getter, for one).
 */
export type OwnOptionsShape = AdapterOnlyOptions & { client?: undefined }

/**
 * One client an adapter follows: the shared one the options name, or one the
 * adapter created from its own options, which it alone lets go of.
 *
 * Ownership sticks to the created client for as long as the adapter follows
 * it, even when the options hand that same client back as a shared one (its
 * own `wf.client`), and even back again to own options with the same `id`:
 * the options say what to follow, not who created it. So the created client
 * is let go of once, when the adapter stops following it (`next` with a new
 * `id`, another shared client or new own options) or is torn down
 * (`release`), the way the last own options that applied to it said
 * (`stopOnUnmount`), whatever the options that replaced them say.
 */
export class FollowedClient<
  TInput = unknown,
  TOutput = unknown,
  TState = unknown,
  TOwn extends OwnOptionsShape = OwnClientOptions<TInput, TOutput, TState>,
> {
  /** The client to follow. */
  readonly client: WorkflowClient<TInput, TOutput, TState>
  /** Whether the adapter created `client`, and so is the one to let go of it. */
  readonly owned: boolean
  readonly #id: string | undefined
  #stopOnUnmount: boolean | undefined
  readonly #clientOptions: (own: TOwn) => WorkflowClientOptions<TInput, TOutput, TState>
  /** The client options the created client was last configured with, its callbacks included. */
  #applied: WorkflowClientOptions<TInput, TOutput, TState> | undefined
  /** Whether the created client is kept from calling the owner's callbacks (see `mute`). */
  #muted = false

  /** Follows the shared client the options name, or creates one from them. */
  constructor(options: AdapterOptions<TInput, TOutput, TState>)
  /** The same, for own options of the adapter's shape: `clientOptions` makes the client's part of them. */
  constructor(options: TOwn | SharedClientOptions<TInput, TOutput, TState>, clientOptions: (own: TOwn) => WorkflowClientOptions<TInput, TOutput, TState>)
  constructor(
    options: TOwn | SharedClientOptions<TInput, TOutput, TState>,
    // Only the first overload leaves it out, where TOwn is OwnClientOptions.
    clientOptions: (own: TOwn) => WorkflowClientOptions<TInput, TOutput, TState> = clientOptionsOf as (own: OwnOptionsShape) => WorkflowClientOptions<TInput, TOutput, TState>,
  ) {
    this.#clientOptions = clientOptions
    const own = ownClientOptions(options)
    this.owned = !!own
    this.#id = own?.id
    this.#stopOnUnmount = own?.stopOnUnmount
    this.#applied = own ? clientOptions(own) : undefined
    this.client = this.#applied ? new WorkflowClient(this.#applied) : (options as SharedClientOptions<TInput, TOutput, TState>).client
  }

  /**
   * Whether `options` still follow this client: the same shared client, the
   * created client handed back as shared, or own options with the same `id`
   * while the client is the adapter's own.
   */
  follows(options: TOwn | SharedClientOptions<TInput, TOutput, TState>): boolean {
    const own = ownClientOptions(options)
    return own ? this.owned && own.id === this.#id : options.client === this.client
  }

  /**
   * Applies own options that follow the created client to it: its
   * configuration, and how it will be let go of. Anything else leaves it as
   * it is: a shared client is configured by its owner, and a created client
   * handed back as shared keeps what its last own options said.
   */
  configure(options: TOwn | SharedClientOptions<TInput, TOutput, TState>): void {
    const own = ownClientOptions(options)
    if (!own || !this.owned || own.id !== this.#id) return
    this.#stopOnUnmount = own.stopOnUnmount
    this.#applied = this.#clientOptions(own)
    this.client.setOptions(this.#muted ? withoutCallbacks(this.#applied) : this.#applied)
  }

  /**
   * What to follow after `options`: this, configured with them, while they
   * follow it; otherwise a new one for them, this one let go of first. For
   * adapters that can let go at once; React defers it (see its hook) and uses
   * `follows`, `configure` and `release` instead.
   */
  next(options: TOwn | SharedClientOptions<TInput, TOutput, TState>): FollowedClient<TInput, TOutput, TState, TOwn> {
    if (this.follows(options)) {
      this.configure(options)
      return this
    }
    this.release()
    return new FollowedClient<TInput, TOutput, TState, TOwn>(options, this.#clientOptions)
  }

  /**
   * Lets go of a created client (see `releaseClient`, whose result this
   * returns) with the `stopOnUnmount` of the last own options applied to it;
   * a shared client is left to its owner. Called once each time the adapter
   * stops following the client: when `next` moves on, or on teardown. Not
   * guarded to run only once ever: React's hidden `<Activity>` lets go of a
   * client it follows again once shown, and must let go of it again.
   */
  release(): WorkflowClientState<TOutput, TState> | undefined {
    return this.owned ? releaseClient(this.client, this.#stopOnUnmount) : undefined
  }

  /**
   * Keeps a created client from calling the owner's callbacks (`true`), or
   * lets it again (`false`), with whatever options it is configured with
   * meanwhile. For an owner that is gone but may come back with the same
   * client (React's StrictMode remount, a hidden `<Activity>` shown again);
   * one gone for good calls `dispose`. A shared client's callbacks are its
   * owner's business.
   */
  mute(muted: boolean): void {
    if (!this.#applied || this.#muted === muted) return
    this.#muted = muted
    this.client.setOptions(muted ? withoutCallbacks(this.#applied) : this.#applied)
  }

  /**
   * Lets go of a created client for good, when the adapter is torn down: it
   * calls none of the owner's callbacks from then on (not the state change
   * letting go publishes, not a stop's abort answer, not a finish already
   * queued), is let go of as `release` does, and is disposed, so it is never
   * used again. A shared client is left to its owner.
   */
  dispose(): void {
    if (!this.owned) return
    this.mute(true)
    // dispose() disconnects, which is letting go without stopOnUnmount; with it the run is stopped first.
    if (this.#stopOnUnmount) void this.client.stop()
    this.client.dispose()
  }
}
