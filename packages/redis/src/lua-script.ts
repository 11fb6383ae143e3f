import { createHash } from 'node:crypto'
import type { ClientFor } from './closed.js'

/**
 * A Lua script called by its SHA (EVALSHA), so the hot path (one call per
 * appended event) does not resend and rehash the source; falls back to EVAL
 * once when the server does not have it cached yet (new or restarted Redis).
 * The client is asked for at each send (`ClientFor`), so a store closed
 * between the two sends no EVAL.
 */
export class LuaScript {
  private readonly sha: string

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }

  async run(clientFor: ClientFor, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await clientFor().evalsha(this.sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return clientFor().eval(this.source, keys.length, ...keys, ...args)
    }
  }
}
