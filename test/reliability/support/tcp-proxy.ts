import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/**
 * Where a cut falls in one HTTP exchange's response bytes: `head` counts from
 * the first response byte (cuts inside the status line and headers), `body`
 * from the first byte after the blank line that ends the headers. Body
 * offsets do not depend on header lengths (the tail-index header varies with
 * how far the run got before the response started).
 */
export type CutPoint = { from: 'head' | 'body'; offset: number }

export interface CuttingProxy {
  /** `http://127.0.0.1:<port>/api/workflow` through the proxy. */
  url: string
  /** Cut points for the next exchanges, one each, in order; exchanges after them pass uncut. */
  arm(cuts: CutPoint[]): void
  /** Drops cut points not used yet (an exchange that ended before its cut point consumed one). */
  disarm(): void
  /** The server→client bytes of every exchange since the proxy started (uncut or cut). */
  readonly exchanges: Uint8Array[]
  /** How many connections were actually cut. */
  readonly cutsDone: number
  close(): Promise<void>
}

const HEADER_END = Buffer.from('\r\n\r\n')

interface Exchange {
  cut: CutPoint | undefined
  received: Buffer[]
  sent: number
  bodyStart: number | undefined
}

/**
 * A TCP proxy on loopback that forwards bytes both ways and ends a connection
 * after exactly N response bytes of an exchange. An exchange starts when the
 * client sends request bytes after the previous response's bytes (keep-alive
 * reuses sockets, so counting per socket would drift). The cut is a FIN after
 * the last allowed byte, so the client receives exactly that prefix.
 */
export async function startCuttingProxy(targetPort: number, path = '/api/workflow'): Promise<CuttingProxy> {
  const queue: CutPoint[] = []
  const exchanges: Uint8Array[] = []
  const sockets = new Set<Socket>()
  let cutsDone = 0

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    let exchange: Exchange | undefined
    let responding = true
    const teardown = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('data', (chunk) => {
      if (responding) {
        responding = false
        exchange = { cut: queue.shift(), received: [], sent: 0, bodyStart: undefined }
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      const current = exchange
      if (!current) return
      responding = true
      const allowed = allowedBytes(current, chunk)
      const forwarded = allowed === undefined ? chunk : chunk.subarray(0, allowed)
      current.received.push(forwarded)
      current.sent += forwarded.length
      exchanges[exchangeIndex(current)] = Buffer.concat(current.received)
      if (allowed === undefined) {
        client.write(forwarded)
        return
      }
      cutsDone += 1
      exchange = undefined
      client.end(forwarded, teardown)
      upstream.destroy()
    })
    const order = new WeakMap<Exchange, number>()
    function exchangeIndex(current: Exchange): number {
      let index = order.get(current)
      if (index === undefined) {
        index = exchanges.length
        order.set(current, index)
      }
      return index
    }
    client.on('error', teardown)
    upstream.on('error', teardown)
    client.on('close', teardown)
    upstream.on('close', () => client.end())
  })

  /** Bytes of `chunk` still allowed through, or undefined when the cut is not in it. */
  function allowedBytes(current: Exchange, chunk: Buffer): number | undefined {
    const { cut } = current
    if (!cut) return undefined
    if (current.bodyStart === undefined) {
      const seen = Buffer.concat([...current.received, chunk])
      const end = seen.indexOf(HEADER_END)
      if (end !== -1) current.bodyStart = end + HEADER_END.length
    }
    const limit = cut.from === 'head' ? cut.offset : current.bodyStart === undefined ? undefined : current.bodyStart + cut.offset
    if (limit === undefined || current.sent + chunk.length < limit) return undefined
    return Math.max(0, limit - current.sent)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${path}`,
    arm: (cuts) => void queue.push(...cuts),
    disarm: () => void queue.splice(0),
    exchanges,
    get cutsDone() {
      return cutsDone
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
