import { localWorkflowEvents, WorkflowClient, type WorkflowConnection } from '@stepstream/client'
import { get } from 'svelte/store'
import { describe, expect, it } from 'vitest'
import { useWorkflow } from '@stepstream/svelte'
import { articleInput, articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { sleeperHandler } from '../../../test/fixtures/sleeper-server.js'

/** The store lets go of its connection a microtask after its last subscriber left. */
const letGo = () => new Promise((resolve) => setTimeout(resolve, 0))
const resumes = (server: ReturnType<typeof articleServer>) => server.requests.filter((request) => request.method === 'GET').length

/** With one subscriber, starts a run and, once its text streams, lets that subscriber go (the store alone holds it then). */
async function leaveWhileStreaming(wf: ReturnType<typeof useWorkflow>, topic: string): Promise<void> {
  const off = wf.subscribe(() => {})
  void wf.start({ topic })
  await until(() => wf.client.state.currentText.length > 0, 'text streams')
  off()
}

describe('useWorkflow: the Svelte store contract', () => {
  it('calls a new subscriber at once with the current state and returns an unsubscriber', () => {
    const wf = useWorkflow({ connection: articleServer().connection })
    const seen: string[] = []
    const unsubscribe = wf.subscribe((state) => seen.push(state.status))
    expect(seen).toEqual(['idle'])
    expect(typeof unsubscribe).toBe('function')
    unsubscribe()
    expect(get(wf).status).toBe('idle')
  })

  it('publishes every state to every subscriber, outside any component', async () => {
    const wf = useWorkflow({ connection: articleServer().connection, input: articleInput })
    const statuses: string[][] = [[], []]
    const offs = statuses.map((list) => wf.subscribe((state) => list.push(state.status)))
    await wf.start({ topic: 'stores' })
    expect(get(wf).status).toBe('paused')
    await wf.approve(true)
    for (const list of statuses) {
      expect(list[0]).toBe('idle')
      expect(list.at(-1)).toBe('finished')
      expect(list).toContain('paused')
    }
    offs.forEach((off) => off())
  })

  it('disconnects when the last subscriber leaves mid-stream, and resumes for the next one', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection })
    const first = wf.subscribe(() => {})
    const second = wf.subscribe(() => {})
    void wf.start({ topic: 'leave' })
    await until(() => wf.client.state.currentText.length > 0, 'text streams')
    first()
    expect(wf.client.state.connection).not.toBe('closed')
    second()
    // A microtask later, once no one subscribed again meanwhile.
    await until(() => wf.client.state.connection === 'closed', 'let go')
    const textWhenLeft = wf.client.state.currentText

    // The run went on; a new subscriber picks the stream up from the cursor.
    const again = wf.subscribe(() => {})
    await until(() => get(wf).status === 'paused', 'pause after resume')
    expect(get(wf).currentText.startsWith(textWhenLeft)).toBe(true)
    expect(get(wf).currentText.split(' ')).toEqual(Array.from({ length: 40 }, (_, i) => `draft-${i}`))
    expect(server.requests.some((request) => request.body?.abort === true)).toBe(false)
    again()
  })

  it('stops the run when the last subscriber leaves with stopOnUnmount', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection, stopOnUnmount: true })
    await leaveWhileStreaming(wf, 'stop')
    await until(() => wf.client.state.status === 'aborted', 'stopped')
    await until(() => server.requests.some((request) => request.body?.abort === true), 'abort request')
  })

  it('never lets go of a shared client: its owner does', async () => {
    const { connection } = articleServer({ words: 20, chunkDelayMs: 1 })
    const client = new WorkflowClient({ connection })
    const wf = useWorkflow({ client })
    const off = wf.subscribe(() => {})
    const done = client.start({ topic: 'shared' })
    await until(() => client.state.currentText.length > 0, 'text streams')
    off()
    expect(client.state.connection).toBe('open')
    await done
    expect(get(wf).status).toBe('paused')
  })

  it('does not resume over a run started while nobody subscribed', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection, input: articleInput })
    await leaveWhileStreaming(wf, 'left')
    await letGo()

    // e.g. a page's script starts a run before its markup subscribes with $wf
    const started = wf.start({ topic: 'next' })
    const again = wf.subscribe(() => {})
    await started
    expect(resumes(server)).toBe(0)
    expect(get(wf).status).toBe('paused')
    expect(get(wf).currentText.split(' ')).toHaveLength(40)
    again()
  })

  it('does not resume a run reset while nobody subscribed', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection })
    await leaveWhileStreaming(wf, 'left')
    await letGo()
    wf.reset()
    const sent = server.requests.length
    const again = wf.subscribe(() => {})
    // resume() with no run rejects: nothing may be sent or left unhandled.
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(server.requests).toHaveLength(sent)
    expect(get(wf)).toMatchObject({ status: 'idle', connection: 'idle', error: null })
    again()
  })

  it('shows the next subscriber an approval the server refused exactly as it was left: paused, with the refusal as its error', async () => {
    const server = articleServer()
    const refusing: WorkflowConnection = {
      send: (request) =>
        request.action === 'approve'
          ? Promise.resolve(Response.json({ error: { code: 'approval_mismatch', message: 'Not waiting for this approval' } }, { status: 409 }))
          : server.connection.send(request),
    }
    const wf = useWorkflow({ connection: refusing })
    const off = wf.subscribe(() => {})
    await wf.start({ topic: 'refused' })
    const refused = await wf.approve(true)
    expect(refused).toMatchObject({ status: 'paused', pendingApproval: { approvalId: expect.any(String) }, error: { code: 'approval_mismatch' } })
    off()
    await letGo()

    const again = wf.subscribe(() => {})
    await until(() => wf.client.state.connection === 'closed', 'any resume to end')
    expect(get(wf)).toMatchObject({ status: 'paused', pendingApproval: refused.pendingApproval, error: { code: 'approval_mismatch' } })
    again()
  })

  it('resumes a run paused on a deadline for the next subscriber, so it is still followed on when the wait ends', async () => {
    // Long enough that the last subscriber leaves and a new one comes before the deadline look would have fired.
    const wf = useWorkflow({ connection: localWorkflowEvents(sleeperHandler(300)) })
    const off = wf.subscribe(() => {})
    await wf.start(null)
    expect(wf.client.state.status).toBe('paused')
    // Letting go disconnects, which cancels the client's look at the deadline.
    off()
    await letGo()

    const statuses: string[] = []
    const again = wf.subscribe((state) => statuses.push(state.status))
    // Nothing but the client's own look at the deadline can tell it the run woke up.
    await expect.poll(() => statuses.at(-1), { timeout: 3_000 }).toBe('finished')
    expect(wf.client.state.output).toBe('awake')
    again()
  })

  it('resumes for the next subscriber an attach its last subscriber left before the run answered', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const runId = (await new WorkflowClient({ connection: server.connection }).start({ topic: 'attached' })).runId!
    // The first request waits until the subscriber has left, as a slow network would make it.
    let answer = () => {}
    const answered = new Promise<void>((resolve) => (answer = resolve))
    let first = true
    const slow: WorkflowConnection = {
      send: async (request) => {
        if (first) {
          first = false
          await answered
        }
        return server.connection.send(request)
      },
    }
    const wf = useWorkflow({ connection: slow })
    const off = wf.subscribe(() => {})
    void wf.attach(runId)
    await letGo()
    expect(wf.client.state).toMatchObject({ status: 'idle', connection: 'connecting', runId })
    off()
    await letGo()
    answer()

    const again = wf.subscribe(() => {})
    await until(() => get(wf).status === 'paused', 'the attached run followed to its pause')
    expect(get(wf).currentText.split(' ')).toHaveLength(40)
    again()
  })

  it.each([
    ['a start given the run id', (wf: ReturnType<typeof useWorkflow>) => wf.start({ topic: 'nameless' }, { runId: '' })],
    ['an attach', (wf: ReturnType<typeof useWorkflow>) => wf.attach('')],
  ])('does not resume %s "" for the next subscriber: resume() would reject with nobody to catch it', async (_name, act) => {
    const server = articleServer()
    // Held until the subscriber has left, so letting go cuts the request.
    let answer = () => {}
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const slow: WorkflowConnection = {
      send: async (request) => {
        await answered
        return server.connection.send(request)
      },
    }
    const wf = useWorkflow({ connection: slow })
    const off = wf.subscribe(() => {})
    const acted = act(wf)
    await letGo()
    off()
    await letGo()
    answer()
    await acted
    const again = wf.subscribe(() => {})
    await letGo()
    expect(wf.client.state.connection).toBe('closed')
    again()
  })

  it('get(wf) while a run streams with nobody subscribed leaves its connection alone', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection })
    // e.g. a page's script starts a run and reads the store before its markup subscribes with $wf
    const started = wf.start({ topic: 'read' })
    await until(() => wf.client.state.currentText.length > 0, 'text streams')
    expect(get(wf).status).toBe('running')
    expect(wf.client.state.connection).toBe('open')
    const state = await started
    expect(state.status).toBe('paused')
    expect(state.currentText.split(' ')).toHaveLength(40)
    expect(resumes(server)).toBe(0)
  })

  it('get(wf) after the last subscriber left does not reconnect: only a subscriber that stays resumes', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection })
    await leaveWhileStreaming(wf, 'left')
    await until(() => wf.client.state.connection === 'closed', 'let go')
    expect(get(wf).connection).toBe('closed')
    await letGo()
    expect(resumes(server)).toBe(0)

    const again = wf.subscribe(() => {})
    await until(() => get(wf).status === 'paused', 'pause after resume')
    expect(resumes(server)).toBe(1)
    again()
  })

  it('its last subscriber leaving and a new one coming in the same tick (a block re-rendering its $wf reader) does not cut the stream', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const wf = useWorkflow({ connection: server.connection })
    const off = wf.subscribe(() => {})
    const started = wf.start({ topic: 'again' })
    await until(() => wf.client.state.currentText.length > 0, 'text streams')
    off()
    const again = wf.subscribe(() => {})
    expect(wf.client.state.connection).toBe('open')
    const state = await started
    expect(state.status).toBe('paused')
    expect(state.currentText.split(' ')).toHaveLength(40)
    expect(resumes(server)).toBe(0)

    // Gone for good, the last subscriber still lets go of the connection.
    void wf.start({ topic: 'last' })
    await until(() => wf.client.state.currentText.length > 0, 'text streams again')
    again()
    await until(() => wf.client.state.connection === 'closed', 'let go')
    expect(wf.client.state.status).toBe('running')
  })
})
