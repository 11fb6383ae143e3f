import type { RedisClient } from './client.js'

/**
 * A call on a `redisRunStore` after its `close()`. The store's client may be
 * the application's (given as `redis`, left open, or closed by it next): a
 * command sent after the close would write behind its back, or fail on a
 * closed connection with whatever error the socket gives (EPIPE).
 */
export class RunStoreClosedError extends Error {
  override name = 'RunStoreClosedError'

  constructor() {
    super('This Redis run store is closed')
  }
}

/**
 * The store's way to its client: each command asks for the client as it is
 * sent, so a call under way when the store closes sends no further command
 * (the second step of a read-then-write, a script's EVAL fallback, the next
 * page of a log) and rejects instead.
 */
export class ClientGate {
  private closed = false

  constructor(private readonly redis: RedisClient) {}

  /** The client, for one command now; throws `RunStoreClosedError` once closed. */
  get client(): RedisClient {
    if (this.closed) throw new RunStoreClosedError()
    return this.redis
  }

  get isClosed(): boolean {
    return this.closed
  }

  close(): void {
    this.closed = true
  }
}

/** Gives a client for each command (a `ClientGate`'s). */
export type ClientFor = () => RedisClient
