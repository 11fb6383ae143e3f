import type { IndexedEvent } from '@stepstream/protocol'
import { HEADERS } from '@stepstream/protocol'
import type { LogReader } from '../engine/log-reader.js'

export interface SseOptions {
  runId: string
  tailIndex: number
  heartbeatMs: number
  /** The request's signal: some runtimes report a client going away only here. */
  requestSignal: AbortSignal | undefined
}

const encoder = new TextEncoder()
/** Bounds one write, so a long replay still streams out in steps. */
const MAX_FRAMES_PER_WRITE = 256

/** One event as the SSE frame the handler writes: `id: <index>\ndata: <json>\n\n`. */
export function sseFrame({ index, event }: IndexedEvent): string {
  return `id: ${index}\ndata: ${JSON.stringify(event)}\n\n`
}

/**
 * Streams a log reader as SSE. The response only reads the log: cancelling
 * it (the client went away) closes the reader and stops the heartbeat,
 * nothing else. A reader whose store can no longer follow the run ends the
 * response without a terminal event: a drop, which the client resumes from
 * its cursor (PROTOCOL §5), rather than heartbeats for events that never come.
 */
export function sseResponse(reader: LogReader, options: SseOptions): Response {
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let wroteSinceTick = false
  let stopped = false
  const stop = () => {
    stopped = true
    if (heartbeat) clearInterval(heartbeat)
    heartbeat = undefined
    reader.close()
  }
  // The client may have gone while the request was being applied: an aborted
  // signal fires no more 'abort' events, and its host may never read or
  // cancel this body, so the reader would follow the run for nobody.
  if (options.requestSignal?.aborted) stop()
  else options.requestSignal?.addEventListener('abort', stop, { once: true })

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (stopped) return
      heartbeat = setInterval(() => {
        // Idle means nothing went out since the last tick.
        if (!wroteSinceTick) {
          try {
            controller.enqueue(encoder.encode(': ping\n\n'))
          } catch {
            stop()
          }
        }
        wroteSinceTick = false
      }, options.heartbeatMs)
    },
    async pull(controller) {
      const end = () => {
        stop()
        options.requestSignal?.removeEventListener('abort', stop)
        controller.close()
      }
      let event: IndexedEvent | undefined
      try {
        event = await reader.next()
      } catch (error) {
        // Not this response's failure to report: the run goes on, and the client's resume finds it.
        if (reader.followLost) return end()
        throw error
      }
      if (!event) return end()
      wroteSinceTick = true
      // Whatever else is already in the log goes out in the same write.
      const frames = [event, ...reader.takeReady(MAX_FRAMES_PER_WRITE - 1)].map(sseFrame)
      controller.enqueue(encoder.encode(frames.join('')))
    },
    cancel() {
      stop()
      options.requestSignal?.removeEventListener('abort', stop)
    },
  })

  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      [HEADERS.runId]: options.runId,
      [HEADERS.tailIndex]: String(options.tailIndex),
    },
  })
}
