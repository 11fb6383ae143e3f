/**
 * toNodeListener against clients that stop reading and go away, over real
 * HTTP on 127.0.0.1. The handlers here are plain fetch-style handlers with
 * a body that never ends by itself, so the only thing that can stop it is
 * the listener noticing the client is gone.
 */
import { Agent, createServer, request, type ClientRequest, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createWorkflowHandler, defineWorkflow, inMemoryRunStore, toNodeListener, type WorkflowHandler } from '@stepstream/server'
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

/** One request on `agent`; resolves with the whole answer. */
function exchange(port: number, agent: Agent, body?: Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json', 'content-length': String(body.byteLength) } : undefined
    const sent = request({ host: '127.0.0.1', port, path: '/', method: body ? 'POST' : 'GET', agent, headers }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, text }))
    })
    // A request body the server stops reading ends with the connection closed under it: the answer came already.
    sent.on('error', (error) => (sent.headersSent ? undefined : reject(error)))
    sent.end(body)
  })
}

describe('toNodeListener with a handler that throws', () => {
  it('answers 500 and does not leave a keep-alive connection stalled on a request body nobody reads', async () => {
    let calls = 0
    const { port } = await serve(async () => {
      calls += 1
      // Thrown before reading the body, as a host's own wrapper around the handler might.
      if (calls === 1) throw new Error('boom')
      return new Response('second')
    })
    // Node's own keep-alive timeout (5 s) would end the stall by itself: long enough here that only the listener can.
    servers.at(-1)!.keepAliveTimeout = 60_000
    // One socket: the second request can only be served once the first exchange let go of it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      // Far more than the socket and the request stream buffer: the client is still sending when the 500 comes.
      const failed = await exchange(port, agent, new Uint8Array(8 * 1024 * 1024).fill(0x20))
      expect(failed.status).toBe(500)
      expect(JSON.parse(failed.text)).toEqual({ error: { code: 'internal', message: 'Internal server error' } })
      expect(await exchange(port, agent)).toEqual({ status: 200, text: 'second' })
    } finally {
      agent.destroy()
    }
  }, 15_000)
})

describe('toNodeListener with a request fetch cannot represent', () => {
  // `new Request` throws for the methods fetch forbids (TRACE, TRACK) and for a Host that makes no URL.
  it.each([
    ['TRACE', '127.0.0.1'],
    ['GET', '['],
  ])('answers %s with Host %s as the client\'s error (400 invalid_request), never reaching the handler', async (method, host) => {
    let calls = 0
    const { port } = await serve(async () => {
      calls += 1
      return new Response('served')
    })
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port, path: '/', method, headers: { host } }, (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode!, text }))
      })
      sent.on('error', reject)
      sent.end()
    })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'invalid_request' } })
    expect(calls).toBe(0)
  })
})

describe('toNodeListener with a client that goes away mid-upload', () => {
  it('takes a body cut off before its end as the request failing, not the server: onError hears nothing, and no run is created', async () => {
    const store = inMemoryRunStore()
    const failures: unknown[] = []
    const workflow = defineWorkflow({
      name: 'any',
      run: async function* () {
        return 'done'
      },
    })
    const { port, responses } = await serve(createWorkflowHandler({ workflow, runStore: store, onError: (error) => failures.push(error) }))
    const sent = request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } })
    sent.on('error', () => {})
    // Part of the body, then the client is gone.
    sent.write('{"input": null, "runId": "cut-off", "padding": "')
    await waitUntil(() => responses.length === 1, 'the server to take the request')
    sent.destroy()
    // The handler has answered (to nobody) once the server side of the exchange is closed.
    await waitUntil(() => responses[0]!.closed, 'the server to close the exchange')
    expect(failures).toEqual([])
    expect(await store.getRun('cut-off')).toBeUndefined()
  })
})

describe('toNodeListener response headers', () => {
  it('sends each Set-Cookie of the response as a header line of its own', async () => {
    // As a host's own wrapper around the handler might: a session cookie and a CSRF cookie.
    const { port } = await serve(async () => {
      const headers = new Headers({ 'content-type': 'text/plain' })
      headers.append('set-cookie', 'session=abc; Path=/; HttpOnly; Expires=Wed, 21 Oct 2099 07:28:00 GMT')
      headers.append('set-cookie', 'csrf=xyz; Path=/')
      return new Response('ok', { headers })
    })
    const rawHeaders = await new Promise<string[]>((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (response) => {
        response.resume()
        response.on('end', () => resolve(response.rawHeaders))
      })
      sent.on('error', reject)
      sent.end()
    })
    const lines = rawHeaders.flatMap((value, at) => (at % 2 === 0 ? [[value.toLowerCase(), rawHeaders[at + 1]!]] : []))
    expect(lines.filter(([name]) => name === 'set-cookie').map(([, value]) => value)).toEqual([
      'session=abc; Path=/; HttpOnly; Expires=Wed, 21 Oct 2099 07:28:00 GMT',
      'csrf=xyz; Path=/',
    ])
    expect(lines).toContainEqual(['content-type', 'text/plain'])
  })
})
