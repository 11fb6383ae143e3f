import { createParser, type ParseError } from 'eventsource-parser'
import { WorkflowError } from './errors.js'
import type { WireEvent } from './reducer.js'

/**
 * The most characters one SSE frame may buffer. A server (or a proxy) that
 * streams a line without end would otherwise grow the client's memory
 * without bound; real events, even whole-state snapshots, are far smaller.
 */
export const MAX_FRAME_CHARS = 32 * 1024 * 1024

export interface SseFrame {
  id: string | undefined
  data: string
}

export interface ReadEventStreamHandlers {
  /** A complete frame (`data:` lines joined); called synchronously while a chunk is parsed. */
  onFrame(frame: SseFrame): void
  /** After each network chunk, when every frame in it has been delivered. */
  onChunk(): void
  onRetry(ms: number): void
}

/**
 * Reads an SSE body to its end with eventsource-parser. Bytes are decoded
 * with a streaming TextDecoder, so a UTF-8 character split across chunks
 * survives; a trailing frame without its blank line is dropped (SSE rule).
 * Resolves at EOF; rejects on a network error, when `signal` aborts, or
 * with a `frame_too_large` WorkflowError when a frame outgrows MAX_FRAME_CHARS.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  handlers: ReadEventStreamHandlers,
): Promise<void> {
  let oversized: ParseError | undefined
  const parser = createParser({
    onEvent: (message) => handlers.onFrame({ id: message.id, data: message.data }),
    onRetry: (ms) => handlers.onRetry(ms),
    // Unknown fields and bad `retry:` values are ignored, as the SSE spec says.
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') oversized = error
    },
    maxBufferSize: MAX_FRAME_CHARS,
  })
  const feed = (text: string) => {
    parser.feed(text)
    handlers.onChunk()
    if (oversized) throw new WorkflowError('frame_too_large', `An event frame exceeded ${MAX_FRAME_CHARS} characters`, { cause: oversized })
  }
  const decoder = new TextDecoder()
  const reader = body.getReader()
  const cancel = () => void reader.cancel(signal.reason).catch(() => {})
  signal.addEventListener('abort', cancel, { once: true })
  let finished = false
  let endsWithCarriageReturn = false
  try {
    signal.throwIfAborted()
    for (;;) {
      const { done, value } = await reader.read()
      signal.throwIfAborted()
      if (done) break
      const text = decoder.decode(value, { stream: true })
      if (text) endsWithCarriageReturn = text.endsWith('\r')
      feed(text)
    }
    // A lone CR is a complete line end, but the parser waits to see whether
    // an LF follows; at EOF nothing will, so tell it. (Only after a CR: an
    // extra LF after an LF would complete a truncated frame.)
    feed(decoder.decode() + (endsWithCarriageReturn ? '\n' : ''))
    finished = true
  } finally {
    signal.removeEventListener('abort', cancel)
    // A handler that throws stops the read; release the body too.
    if (!finished) cancel()
    reader.releaseLock()
  }
}

/** The frame's event, or undefined when it is not a JSON object with a string `type`. */
export function parseFrame(frame: SseFrame): WireEvent | undefined {
  try {
    const event = JSON.parse(frame.data) as WireEvent | null
    if (typeof event?.type === 'string') return event
  } catch {
    // Reported by the caller like any other malformed frame.
  }
}

/** The frame's `id:` as a log index, or undefined when it is none (an encoder's frame has no id). */
export function frameIndex(frame: SseFrame): number | undefined {
  if (!frame.id) return undefined
  const index = Number(frame.id)
  return Number.isSafeInteger(index) && index >= 0 ? index : undefined
}
