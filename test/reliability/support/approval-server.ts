import { afterAll, beforeAll } from 'vitest'
import type { WorkflowClient } from '@stepstream/client'
import { createWorkflowHandler, inMemoryRunStore, type InMemoryRunStore } from '@stepstream/server'
import { listen, type RunningServer } from '../../fixtures/http-server.js'
import { approvalWorkflow } from './approval-workflow.js'
import { startCuttingProxy, type CutPoint, type CuttingProxy } from './tcp-proxy.js'
import { visible } from './visible.js'

/**
 * The reference server running the approval workflow on 127.0.0.1 for the
 * test file that calls this (at its top level: it registers the file's
 * beforeAll/afterAll), over `store`, which the file may read.
 */
export function approvalServer(store: InMemoryRunStore = inMemoryRunStore()) {
  let server: RunningServer | undefined
  beforeAll(async () => {
    server = await listen(createWorkflowHandler({ workflow: approvalWorkflow(), runStore: store }))
  })
  afterAll(async () => {
    await server?.close()
  })
  const running = () => {
    if (!server) throw new Error('the approval server is not listening yet (use it inside a test)')
    return server
  }
  return {
    store,
    url: () => running().url,
    /** Runs `use` with a cutting proxy of its own in front of the server: a fresh origin, so no kept-alive socket carries over. */
    async withProxy<T>(use: (proxy: CuttingProxy) => Promise<T>): Promise<T> {
      const proxy = await startCuttingProxy(Number(new URL(running().url).port))
      try {
        return await use(proxy)
      } finally {
        await proxy.close()
      }
    },
  }
}

/** start → approve through the proxy, arming its cuts before each phase; disposes the client. */
export async function startThenApprove(client: WorkflowClient<{ topic: string }>, proxy: CuttingProxy, cuts: { start: CutPoint[]; approve: CutPoint[] }) {
  try {
    proxy.arm(cuts.start)
    const paused = visible(await client.start({ topic: 'Rivers' }))
    proxy.disarm()
    proxy.arm(cuts.approve)
    const finished = visible(await client.approve(true))
    proxy.disarm()
    return { paused, finished }
  } finally {
    client.dispose()
  }
}
