import { render } from '@solidjs/testing-library'
import { describe, expect, it } from 'vitest'
import { useWorkflow, type StandardSchemaV1, type UseWorkflowOwnOptions, type UseWorkflowResult, type WorkflowConnection } from '@stepstream/solid'
import { articleInput, articleServer, until } from '../../../test/fixtures/article-workflow.js'

type Input = { topic: string }

/** Every callback the component hands the primitive, recording which ones are called once it is gone. */
function watchCallbacks() {
  const late: string[] = []
  let gone = false
  const record = (name: string) => () => void (gone && late.push(name))
  return {
    callbacks: {
      onEvent: record('onEvent'),
      onCustomEvent: record('onCustomEvent'),
      onStateChange: record('onStateChange'),
      onFinish: record('onFinish'),
      onError: record('onError'),
    },
    /** Callbacks called after `unmount`. */
    late,
    unmount(unmountIt: () => void) {
      gone = true
      unmountIt()
    },
  }
}

/** Lets what the unmount set off (an abort request and its answer) happen. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function mountWriter(options: UseWorkflowOwnOptions<Input>) {
  let wf!: UseWorkflowResult<Input>
  function Writer() {
    wf = useWorkflow(options)
    return <p>{wf.status}</p>
  }
  const view = render(() => <Writer />)
  return { wf, unmount: view.unmount }
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

describe('after unmount, the client useWorkflow owns calls none of its callbacks', () => {
  it('stopOnUnmount: neither the stop itself nor its abort failing (offline) reaches the unmounted component', async () => {
    const server = articleServer({ words: 400, chunkDelayMs: 1 })
    let aborts = 0
    const offline: WorkflowConnection = {
      send: (request) => (request.action === 'abort' ? (aborts++, Promise.reject(new Error('offline'))) : server.connection.send(request)),
    }
    const watch = watchCallbacks()
    const { wf, unmount } = mountWriter({ connection: offline, input: articleInput, stopOnUnmount: true, ...watch.callbacks })
    void wf.start({ topic: 'leave' })
    await until(() => wf.currentText.length > 0, 'text streams')

    watch.unmount(unmount)
    await until(() => aborts === 1, 'abort request')
    await settle()
    expect(wf.client.state.status).toBe('aborted')
    expect(watch.late).toEqual([])
  })

  it('a finish whose output check was still running at unmount calls neither onFinish nor onStateChange', async () => {
    const output = slowOutputSchema()
    const watch = watchCallbacks()
    const { wf, unmount } = mountWriter({ connection: articleServer().connection, input: articleInput, output: output.schema, validate: true, ...watch.callbacks })
    await wf.start({ topic: 'finish' })
    await wf.approve(true)
    expect(wf.client.state.status).toBe('finished')

    watch.unmount(unmount)
    output.pass()
    await settle()
    expect(watch.late).toEqual([])
  })
})
