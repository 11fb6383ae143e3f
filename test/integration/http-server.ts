import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toNodeListener, type WorkflowHandler } from '@stepstream/server'

export interface RunningServer {
  url: string
  server: Server
  close(): Promise<void>
}

/** Serves a workflow handler over real HTTP on an ephemeral 127.0.0.1 port. */
export async function listen(handler: WorkflowHandler): Promise<RunningServer> {
  const server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/api/workflow`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
