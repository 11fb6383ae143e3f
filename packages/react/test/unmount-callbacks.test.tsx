import { useWorkflow, type StandardSchemaV1, type UseWorkflowOwnOptions, type UseWorkflowResult, type WorkflowConnection } from '@stepstream/react'
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { Activity, StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ArticleInputSchema } from './support/article-workflow.js'
import { serveArticles } from './support/serve.js'

afterEach(cleanup)

type Input = { topic: string }

/** Every callback the component hands its hook, recording which ones are called once it is gone. */
function watchCallbacks() {
  const late: string[] = []
  let mounted = 0
  let gone = false
  const record = (name: string) => () => {
    if (gone) late.push(name)
    else mounted++
  }
  return {
    callbacks: {
      onEvent: record('onEvent'),
      onCustomEvent: record('onCustomEvent'),
      onStateChange: record('onStateChange'),
      onFinish: record('onFinish'),
      onError: record('onError'),
    },
    /** Callbacks called while it was mounted. */
    mounted: () => mounted,
    /** Callbacks called after `unmount`. */
    late,
    unmount(unmountIt: () => void) {
      gone = true
      unmountIt()
    },
  }
}

/** Lets the hook's deferred release, and anything it set off, happen. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)))

/** Mounts one component under StrictMode, as apps run in development, and hands out its hook's result. */
function mountWriter(options: UseWorkflowOwnOptions<Input>) {
  let wf!: UseWorkflowResult<Input>
  function Writer() {
    wf = useWorkflow(options)
    return <p data-testid="status">{wf.status}</p>
  }
  const view = render(
    <StrictMode>
      <Writer />
    </StrictMode>,
  )
  return { wf: () => wf, unmount: view.unmount }
}

/** An output schema whose check waits for `pass()`: the run has finished, its onFinish waits on the check. */
function slowOutputSchema() {
  let pass!: () => void
  const passed = new Promise<void>((resolve) => (pass = resolve))
  const schema: StandardSchemaV1<unknown, unknown> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: async (value) => {
        await passed
        return { value }
      },
    },
  }
  return { schema, pass }
}

describe('after unmount, the client the hook owns calls none of its callbacks', () => {
  it('stopOnUnmount: neither the stop itself nor its abort failing (offline) reaches the unmounted component', async () => {
    const server = serveArticles({ draftWords: 5_000, chunkDelayMs: 2 })
    let aborts = 0
    const offline: WorkflowConnection = {
      send: (request) => (request.action === 'abort' ? (aborts++, Promise.reject(new Error('offline'))) : server.connection.send(request)),
    }
    const watch = watchCallbacks()
    const mounted = mountWriter({ connection: offline, input: ArticleInputSchema, stopOnUnmount: true, ...watch.callbacks })
    act(() => void mounted.wf().start({ topic: 'leave' }))
    await waitFor(() => expect(mounted.wf().client.state.currentText).not.toBe(''))
    // StrictMode's simulated unmount did not silence it.
    expect(watch.mounted()).toBeGreaterThan(0)

    watch.unmount(mounted.unmount)
    await waitFor(() => expect(aborts).toBe(1))
    await settle()
    expect(mounted.wf().client.state.status).toBe('aborted')
    expect(watch.late).toEqual([])
    await server.abortAll()
  })

  it('a finish whose output check was still running at unmount calls neither onFinish nor onStateChange', async () => {
    const server = serveArticles({ editorApproves: false })
    const output = slowOutputSchema()
    const watch = watchCallbacks()
    const mounted = mountWriter({ connection: server.connection, input: ArticleInputSchema, output: output.schema, validate: true, ...watch.callbacks })
    act(() => void mounted.wf().start({ topic: 'finish' }))
    await screen.findByText('finished')

    watch.unmount(mounted.unmount)
    await settle()
    output.pass()
    await settle()
    expect(watch.late).toEqual([])
  })

  it('a hidden <Activity> hears none of them either; shown again, the resumed stream’s callbacks reach it', async () => {
    const server = serveArticles({ draftWords: 400, chunkDelayMs: 2 })
    const seen: string[] = []
    let hidden = false
    const onStateChange = () => void seen.push(hidden ? 'hidden' : 'shown')
    let wf!: UseWorkflowResult<Input>
    function Writer() {
      wf = useWorkflow({ connection: server.connection, input: ArticleInputSchema, onStateChange })
      return <p data-testid="length">{wf.currentText.length}</p>
    }
    const tab = (mode: 'visible' | 'hidden') => (
      <Activity mode={mode}>
        <Writer />
      </Activity>
    )
    const view = render(tab('visible'))
    act(() => void wf.start({ topic: 'tabs' }))
    await waitFor(() => expect(wf.client.state.currentText).not.toBe(''))

    hidden = true
    view.rerender(tab('hidden'))
    await waitFor(() => expect(wf.client.state.connection).toBe('closed'))
    await settle()
    expect(seen).not.toContain('hidden')

    hidden = false
    seen.length = 0
    view.rerender(tab('visible'))
    await waitFor(() => expect(seen.length).toBeGreaterThan(1))
    await server.abortAll()
  })
})
