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
  try {
    signal.throwIfAborted()
    for (;;) {
      const { done, value } = await reader.read()
      signal.throwIfAborted()
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
      handlers.onChunk()
    }
    parser.feed(decoder.decode())
    handlers.onChunk()
    finished = true
  } finally {
    signal.removeEventListener('abort', cancel)
    // A handler that throws stops the read; release the body too.
    if (!finished) cancel()
    reader.releaseLock()
  }
}
