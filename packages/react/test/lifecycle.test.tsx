import { localWorkflowEvents, useWorkflow, WorkflowClient, type WorkflowConnection } from '@stepstream/react'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { Activity, StrictMode, useEffect } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ArticleInputSchema } from './support/article-workflow.js'
import { ArticleWorkflowDemo } from './support/article-workflow-demo.js'
import { serveArticles } from './support/serve.js'
import { sleeperHandler } from '../../../test/fixtures/sleeper-server.js'
import { recordingHandler } from './support/recording-handler.js'

type Server = ReturnType<typeof serveArticles>
let server: Server | undefined

function serve(...args: Parameters<typeof serveArticles>): Server {
  server = serveArticles(...args)
  return server
}

afterEach(async () => {
  cleanup()
  await server?.abortAll()
  server = undefined
})

/** Streams long enough that every check happens mid-stream. */
const LONG_STREAM = { draftWords: 5_000, chunkDelayMs: 2 }

/** Follows an existing run, attaching on mount (the page-reload case). */
function Follower({ connection, runId, stopOnUnmount }: { connection: WorkflowConnection; runId: string; stopOnUnmount?: boolean }) {
  const { attach, currentText } = useWorkflow({ connection, stopOnUnmount, id: runId })
  useEffect(() => {
    void attach(runId)
  }, [attach, runId])
  return <p data-testid="text">{currentText.length}</p>
}

const textLength = () => Number(screen.getByTestId('text').textContent)

/** Resolves once the streamed text has grown past what it is now. */
async function textGrows(): Promise<void> {
  const before = textLength()
  await waitFor(() => expect(textLength()).toBeGreaterThan(before))
}

/** A fresh client's view of the run, from its log. */
async function finalStatusOf(connection: WorkflowConnection, runId: string) {
  const client = new WorkflowClient({ connection })
  const state = await client.attach(runId)
  return state.status
}

describe('StrictMode and the connection lifecycle', () => {
  it('StrictMode: start() and approve() each send exactly one request', async () => {
    const server = serve()
    render(
      <StrictMode>
        <ArticleWorkflowDemo connection={server.connection} />
      </StrictMode>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Start workflow' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }))
    await screen.findByRole('article')
    expect(server.requests.map((request) => request.action)).toEqual(['start', 'approve'])
  })

  it('StrictMode double mount leaves one live connection; unmount aborts the local fetch and not the run', async () => {
    const server = serve(LONG_STREAM)
    const runId = await server.startRun()
    const view = render(
      <StrictMode>
        <Follower connection={server.connection} runId={runId} />
      </StrictMode>,
    )
    await textGrows()
    // StrictMode ran the attach effect twice; the second attach superseded the first.
    expect(server.of('resume')).toHaveLength(2)
    expect(server.of('resume')[0]?.signal.aborted).toBe(true)
    expect(server.live()).toHaveLength(1)

    view.unmount()
    await waitFor(() => expect(server.live()).toHaveLength(0))
    expect(server.of('resume')[1]?.signal.aborted).toBe(true)
    expect(server.of('abort')).toHaveLength(0)

    // The run went on without a reader: a remount picks it up, still streaming.
    render(
      <StrictMode>
        <Follower connection={server.connection} runId={runId} />
      </StrictMode>,
    )
    await textGrows()
    expect(server.live()).toHaveLength(1)
  })

  it('stopOnUnmount sends abort on unmount, but not on StrictMode’s simulated unmount', async () => {
    const server = serve(LONG_STREAM)
    const runId = await server.startRun()
    const view = render(
      <StrictMode>
        <Follower connection={server.connection} runId={runId} stopOnUnmount />
      </StrictMode>,
    )
    await textGrows()
    await textGrows()
    expect(server.of('abort')).toHaveLength(0)
    expect(server.live()).toHaveLength(1)

    view.unmount()
    await waitFor(() => expect(server.of('abort')).toHaveLength(1))
    expect(server.of('abort')[0]?.body).toEqual({ runId, abort: true })
    expect(server.live()).toHaveLength(0)
    expect(await finalStatusOf(server.connection, runId)).toBe('aborted')
  })

  it('StrictMode with stopOnUnmount: a start in a mount effect is not aborted by the simulated unmount', async () => {
    const server = serve(LONG_STREAM)
    function AutoStart() {
      const { start, currentText } = useWorkflow({ connection: server.connection, input: ArticleInputSchema, stopOnUnmount: true })
      useEffect(() => {
        void start({ topic: 'auto' })
      }, [start])
      return <p data-testid="text">{currentText.length}</p>
    }
    const view = render(
      <StrictMode>
        <AutoStart />
      </StrictMode>,
    )
    await textGrows()
    // The effect itself ran twice (StrictMode's doing): the second start
    // superseded the first locally, and nothing was aborted on the server.
    expect(server.of('start')).toHaveLength(2)
    expect(server.of('abort')).toHaveLength(0)
    expect(server.live()).toHaveLength(1)

    view.unmount()
    await waitFor(() => expect(server.of('abort')).toHaveLength(1))
    expect(server.of('abort')[0]?.body?.runId).toBe(server.of('start')[1]?.body?.runId)
  })

  it('without stopOnUnmount the run is still going after unmount', async () => {
    const server = serve({ draftWords: 200, chunkDelayMs: 2 })
    const runId = await server.startRun()
    const view = render(<Follower connection={server.connection} runId={runId} />)
    await textGrows()
    view.unmount()
    await waitFor(() => expect(server.live()).toHaveLength(0))
    // The run went on to its approval pause on the server.
    expect(await finalStatusOf(server.connection, runId)).toBe('paused')
    expect(server.of('abort')).toHaveLength(0)
  })

  it('a new id switches to a new client and aborts the old stream', async () => {
    const server = serve(LONG_STREAM)
    const first = await server.startRun('first')
    const second = await server.startRun('second')
    const clients: WorkflowClient<never, unknown, unknown>[] = []
    function ById({ runId }: { runId: string }) {
      const workflow = useWorkflow({ connection: server.connection, id: runId })
      clients.push(workflow.client as WorkflowClient<never, unknown, unknown>)
      useEffect(() => {
        void workflow.attach(runId)
      }, [workflow.attach, runId])
      return <p data-testid="run">{workflow.runId}</p>
    }

    const view = render(<ById runId={first} />)
    await waitFor(() => expect(server.live()).toHaveLength(1))
    expect(screen.getByTestId('run').textContent).toBe(first)

    view.rerender(<ById runId={second} />)
    await waitFor(() => expect(screen.getByTestId('run').textContent).toBe(second))
    await waitFor(() => expect(server.of('resume')[0]?.signal.aborted).toBe(true))
    expect(server.live()).toHaveLength(1)
    expect(server.live()[0]?.body).toBeUndefined()
    expect(new Set(clients).size).toBe(2)
    // The old client is closed, not left half-connected.
    expect(clients[0]?.state.connection).toBe('closed')
  })

  it('a shared client outlives the components that follow it', async () => {
    const server = serve(LONG_STREAM)
    const client = new WorkflowClient({ connection: server.connection })
    function Viewer({ name }: { name: string }) {
      const { currentText } = useWorkflow({ client })
      return <p data-testid={name}>{currentText.length}</p>
    }
    const first = render(<Viewer name="a" />)
    render(<Viewer name="b" />)
    act(() => {
      void client.start({ topic: 'shared' })
    })
    await waitFor(() => expect(Number(screen.getByTestId('b').textContent)).toBeGreaterThan(0))

    first.unmount()
    const before = Number(screen.getByTestId('b').textContent)
    await waitFor(() => expect(Number(screen.getByTestId('b').textContent)).toBeGreaterThan(before))
    expect(server.live()).toHaveLength(1)
    client.disconnect()
  })

  it('<Activity> hidden mid-stream lets go of the stream; shown again, it resumes from the cursor', async () => {
    const server = serve({ draftWords: 400, chunkDelayMs: 2 })
    function Starter() {
      const { start, currentText, connection } = useWorkflow({ connection: server.connection, input: ArticleInputSchema })
      return (
        <>
          <button type="button" onClick={() => void start({ topic: 'tabs' })}>
            start
          </button>
          <p data-testid="text">{currentText.length}</p>
          <p data-testid="connection">{connection}</p>
        </>
      )
    }
    const view = render(
      <Activity mode="visible">
        <Starter />
      </Activity>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'start' }))
    await textGrows()

    // A hidden Activity (a tab, a cached route) runs effect cleanups, as unmounting does.
    view.rerender(
      <Activity mode="hidden">
        <Starter />
      </Activity>,
    )
    await waitFor(() => expect(server.live()).toHaveLength(0))
    expect(server.of('abort')).toHaveLength(0)

    view.rerender(
      <Activity mode="visible">
        <Starter />
      </Activity>,
    )
    await waitFor(() => expect(server.live()).toHaveLength(1))
    await textGrows()
    expect(server.of('resume')[0]?.body).toBeUndefined()
  })

  it('<Activity> hidden while an attach waits for the run’s answer: shown again, it follows the run', async () => {
    const server = serve()
    const runId = await server.startRun('watched')
    // The attach's request is answered only once the Activity is hidden, as on a slow network.
    let answer = () => {}
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const slow: WorkflowConnection = {
      send: async (request) => {
        await answered
        return server.connection.send(request)
      },
    }
    function Watcher() {
      const { attach, status } = useWorkflow({ connection: slow })
      return (
        <>
          <button type="button" onClick={() => void attach(runId)}>
            watch
          </button>
          <p data-testid="status">{status}</p>
        </>
      )
    }
    const view = render(
      <Activity mode="visible">
        <Watcher />
      </Activity>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'watch' }))
    view.rerender(
      <Activity mode="hidden">
        <Watcher />
      </Activity>,
    )
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)))
    answer()

    view.rerender(
      <Activity mode="visible">
        <Watcher />
      </Activity>,
    )
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('paused'))
  })

  it('<Activity> hidden while paused on a deadline: shown again, the client still follows the run on at the deadline', async () => {
    // Long enough that the client is hidden and shown again before the deadline look would have fired.
    const sleeper = recordingHandler(sleeperHandler(300))
    const connection = localWorkflowEvents(sleeper.handler)
    function Sleeper() {
      const { start, status } = useWorkflow({ connection })
      return (
        <>
          <button type="button" onClick={() => void start(null)}>
            start
          </button>
          <p data-testid="status">{status}</p>
        </>
      )
    }
    const status = () => screen.getByTestId('status').textContent
    const view = render(
      <Activity mode="visible">
        <Sleeper />
      </Activity>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'start' }))
    await waitFor(() => expect(status()).toBe('paused'))

    view.rerender(
      <Activity mode="hidden">
        <Sleeper />
      </Activity>,
    )
    // The release waits a microtask (see StrictMode above): let it happen, cancelling the deadline look.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)))
    view.rerender(
      <Activity mode="visible">
        <Sleeper />
      </Activity>,
    )
    // Nothing but the client's own look at the deadline can tell it the run woke up.
    await waitFor(() => expect(status()).toBe('finished'), { timeout: 3_000 })
    expect(sleeper.of('start')).toHaveLength(1)
  })
})
