/**
 * toNodeListener against clients that stop reading and go away, over real
 * HTTP on 127.0.0.1. The handlers here are plain fetch-style handlers with
 * a body that never ends by itself, so the only thing that can stop it is
 * the listener noticing the client is gone.
 */
import { createServer, request, type ClientRequest, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, it } from 'vitest'
import { toNodeListener, type WorkflowHandler } from '@stepstream/server'
import { waitUntil } from './helpers.js'

const CHUNK_BYTES = 64 * 1024

/** A body that produces data for as long as someone reads it, and says when it was cancelled. */
function endlessBody() {
  const seen = { cancelled: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(CHUNK_BYTES))
    },
    cancel() {
      seen.cancelled = true
    },
  })
  return { stream, seen }
}

const servers: Server[] = []

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** Serves `handler` through toNodeListener on 127.0.0.1; `responses` are the server side of each exchange. */
async function serve(handler: WorkflowHandler) {
  const listener = toNodeListener(handler)
  const responses: ServerResponse[] = []
  const server = createServer((incoming, outgoing) => {
    responses.push(outgoing)
    listener(incoming, outgoing)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, responses }
}

/** A GET whose response is never read: the client has stopped reading from the start. */
function unreadGet(port: number): ClientRequest {
  const sent = request({ host: '127.0.0.1', port, path: '/', method: 'GET' })
  // The client destroys its own socket below; the error that causes here is expected.
  sent.on('error', () => {})
  sent.on('response', (response) => response.pause())
  sent.end()
  return sent
}

describe('toNodeListener with a client that stops reading and disconnects', () => {
  it('stops reading the body once the client that was holding back the writes disconnects', async () => {
    const body = endlessBody()
    const { port, responses } = await serve(async () => new Response(body.stream))
    const client = unreadGet(port)
    await waitUntil(() => responses[0]?.writableNeedDrain === true, 'the writes to wait for the client to read')
    client.destroy()
    await waitUntil(() => body.seen.cancelled && !body.stream.locked, 'the body to be cancelled and let go')
  })

  it('stops reading the body when the client disconnected before the response started, instead of waiting for a drain that never comes', async () => {
    const body = endlessBody()
    const handler = { called: false, answered: false }
    const { port } = await serve(async (incoming) => {
      handler.called = true
      // Answer only once the client is gone: the first write then goes to a closed socket.
      await new Promise((resolve) => incoming.signal.addEventListener('abort', resolve, { once: true }))
      handler.answered = true
      return new Response(body.stream)
    })
    const client = unreadGet(port)
    await waitUntil(() => handler.called, 'the request to reach the handler')
    client.destroy()
    await waitUntil(() => handler.answered, 'the handler to see the client go and answer')
    await waitUntil(() => body.seen.cancelled && !body.stream.locked, 'the body to be cancelled and let go')
  })
})
