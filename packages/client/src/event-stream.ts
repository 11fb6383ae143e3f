import { createParser } from 'eventsource-parser'

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
 * Resolves at EOF; rejects on a network error or when `signal` aborts.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  handlers: ReadEventStreamHandlers,
): Promise<void> {
  const parser = createParser({
    onEvent: (message) => handlers.onFrame({ id: message.id, data: message.data }),
    onRetry: (ms) => handlers.onRetry(ms),
  })
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
      parser.feed(text)
      handlers.onChunk()
    }
    // A lone CR is a complete line end, but the parser waits to see whether
    // an LF follows; at EOF nothing will, so tell it. (Only after a CR: an
    // extra LF after an LF would complete a truncated frame.)
    parser.feed(decoder.decode() + (endsWithCarriageReturn ? '\n' : ''))
    handlers.onChunk()
    finished = true
  } finally {
    signal.removeEventListener('abort', cancel)
    // A handler that throws stops the read; release the body too.
    if (!finished) cancel()
    reader.releaseLock()
  }
}
