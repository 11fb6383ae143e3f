import { WorkflowClient } from '@stepstream/client'
import { flushSync } from 'svelte'
import { describe, expect, it } from 'vitest'
import { createWorkflow, type Workflow } from '@stepstream/svelte'
import { articleServer, until } from '../../../test/fixtures/article-workflow.js'

describe('createWorkflow outside a component (in $effect.root)', () => {
  it('exposes every field as a reactive getter backed by the client state', async () => {
    const { connection } = articleServer()
    let wf!: Workflow
    const seen: string[] = []
    const cleanup = $effect.root(() => {
      wf = createWorkflow(() => ({ connection }))
      $effect(() => {
        seen.push(wf.status)
      })
    })
    flushSync()
    expect(Object.getOwnPropertyDescriptor(wf, 'status')?.get).toBeTypeOf('function')
    await wf.start({ topic: 'runes' })
    flushSync()
    expect(wf.status).toBe('paused')
    expect(wf.pendingApproval?.title).toBe('Publish this article?')
    // The approval is a step of its own, running while the run waits for the decision.
    expect(wf.steps.map((step) => [step.stepName, step.status])).toEqual([
      ['writer', 'finished'],
      ['Publish this article?', 'running'],
    ])
    expect(seen).toEqual(['idle', 'running', 'paused'])
    cleanup()
  })

  it('switches clients when the id from the options getter changes, and lets go on cleanup', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    let id = $state('first')
    let wf!: Workflow
    const cleanup = $effect.root(() => {
      wf = createWorkflow(() => ({ connection: server.connection, id }))
    })
    flushSync()
    const first = wf.client
    void wf.start({ topic: 'ids' })
    await until(() => wf.currentText.length > 0, 'text streams')
    id = 'second'
    flushSync()
    expect(wf.client).not.toBe(first)
    expect(first.state.connection).toBe('closed')
    expect(wf.status).toBe('idle')

    void wf.start({ topic: 'ids again' })
    await until(() => wf.currentText.length > 0, 'text streams again')
    const second = wf.client
    cleanup()
    expect(second.state.connection).toBe('closed')
    expect(server.requests.some((request) => request.body?.abort === true)).toBe(false)
  })

  it('calls the latest callbacks from the options getter without a new client', async () => {
    const { connection } = articleServer()
    const finished: string[] = []
    let label = $state('old')
    let wf!: Workflow
    const cleanup = $effect.root(() => {
      wf = createWorkflow(() => {
        const current = label
        return { connection, onFinish: () => void finished.push(current) }
      })
    })
    flushSync()
    const client = wf.client
    label = 'new'
    flushSync()
    expect(wf.client).toBe(client)
    await wf.start({ topic: 'callbacks' })
    await wf.approve(true)
    await until(() => finished.length > 0, 'onFinish')
    expect(finished).toEqual(['new'])
    cleanup()
  })

  it('follows a new shared client from the options getter, and switches between a shared and an owned one', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const a = new WorkflowClient({ connection: server.connection })
    const b = new WorkflowClient({ connection: server.connection })
    await b.start({ topic: 'b' })
    let shared = $state<WorkflowClient | undefined>(a)
    let wf!: Workflow
    const cleanup = $effect.root(() => {
      wf = createWorkflow(() => (shared ? { client: shared } : { connection: server.connection }))
    })
    flushSync()
    expect(wf.client).toBe(a)

    shared = b
    flushSync()
    expect(wf.client).toBe(b)
    expect(wf.status).toBe('paused')

    // No shared client: one of its own, fresh, and the shared one left as it was.
    shared = undefined
    flushSync()
    const owned = wf.client
    expect(owned).not.toBe(b)
    expect(wf.status).toBe('idle')
    void wf.start({ topic: 'owned' })
    await until(() => wf.currentText.length > 0, 'text streams')

    // Back to a shared client: the owned one is let go, the shared one followed.
    shared = a
    flushSync()
    expect(wf.client).toBe(a)
    expect(owned.state.connection).toBe('closed')
    expect(wf.status).toBe('idle')
    cleanup()
    expect(b.state.status).toBe('paused')
  })

  it('acts with options changed in the same handler, before Svelte flushes its effects: the new connection, the new id’s client', async () => {
    const servers = { eu: articleServer(), us: articleServer() }
    let region = $state<'eu' | 'us'>('eu')
    let id = $state('first')
    let wf!: Workflow
    const cleanup = $effect.root(() => {
      wf = createWorkflow(() => ({ connection: servers[region].connection, id }))
    })
    flushSync()
    const first = wf.client
    await wf.start({ topic: 'one' })

    // No flush in between, as in one click handler.
    region = 'us'
    await wf.start({ topic: 'two' })
    expect(servers.us.requests.map(({ body }) => body?.input)).toEqual([{ topic: 'two' }])
    expect(servers.eu.requests).toHaveLength(1)
    expect(wf.client).toBe(first)

    id = 'second'
    const started = wf.start({ topic: 'three' })
    expect(wf.client).not.toBe(first)
    await started
    flushSync()
    expect(wf.status).toBe('paused')
    expect(wf.currentText).not.toBe('')
    const second = wf.client
    cleanup()

    // Torn down, it makes no client that nothing would let go of.
    id = 'third'
    wf.reset()
    expect(wf.client).toBe(second)
  })

  it('exposes its client reactively, so one that follows it switches with the id', async () => {
    const { connection } = articleServer()
    let id = $state('first')
    let wf!: Workflow
    let follower!: Workflow
    const cleanup = $effect.root(() => {
      wf = createWorkflow(() => ({ connection, id }))
      // e.g. a child component given `client={wf.client}`
      follower = createWorkflow(() => ({ client: wf.client }))
    })
    flushSync()
    expect(follower.client).toBe(wf.client)

    id = 'second'
    flushSync()
    expect(follower.client).toBe(wf.client)
    await wf.start({ topic: 'followed' })
    flushSync()
    expect(follower.status).toBe('paused')
    cleanup()
  })
})
