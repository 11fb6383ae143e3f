import { flakyHeader, type ServerFlakyMode } from '@stepstream/playground-shared'
import type { WorkflowHandler } from '@stepstream/server'

export interface FlakyOptions {
  /** Cut every stream (`always`), only those whose request carries the flaky header, or none. */
  mode: ServerFlakyMode
  /** A stream lives this long at least before it may be cut, so every connection makes progress. */
  minMs?: number
  maxMs?: number
  random?: () => number
  /** Called on each cut, e.g. to log it. */
  onCut?: (request: Request, bytesSent: number) => void
}

/**
 * Makes a workflow handler's event streams fail like a bad network: after a
 * random time, the next chunk is sent only in part (so the client sees half
 * an SSE frame) and the stream errors, which drops the connection. The run
 * itself is untouched: a client that resumes from its cursor must end up with
 * exactly the same events, which is what the playground lets you watch.
 */
export function flaky(handler: WorkflowHandler, options: FlakyOptions): WorkflowHandler {
  const { mode, minMs = 250, maxMs = 1200, random = Math.random } = options
  return async (request) => {
    const response = await handler(request)
    const wanted = mode === 'always' || (mode === 'on-request' && request.headers.get(flakyHeader) === '1')
    const isStream = response.headers.get('content-type')?.startsWith('text/event-stream')
    if (!wanted || !isStream || !response.body) return response
    const cutAfterMs = minMs + random() * (maxMs - minMs)
    const body = cutStream(response.body, cutAfterMs, random, (bytes) => options.onCut?.(request, bytes))
    return new Response(body, { status: response.status, headers: response.headers })
  }
}

function cutStream(source: ReadableStream<Uint8Array>, cutAfterMs: number, random: () => number, onCut: (bytes: number) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader()
  const deadline = Date.now() + cutAfterMs
  let sent = 0
  let cut = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (cut) {
        // Erroring only on the next pull lets the fragment reach the socket first
        // (an error discards whatever is still queued).
        await reader.cancel('flaky network')
        return controller.error(new Error('flaky network: stream cut'))
      }
      const { done, value } = await reader.read()
      if (done) return controller.close()
      if (Date.now() < deadline || value.byteLength < 2) {
        sent += value.byteLength
        return controller.enqueue(value)
      }
      // Part of a frame, then nothing: the client must discard the fragment and resume.
      const keep = 1 + Math.floor(random() * (value.byteLength - 1))
      controller.enqueue(value.subarray(0, keep))
      cut = true
      onCut(sent + keep)
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
}
