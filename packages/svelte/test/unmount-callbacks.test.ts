import { render } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { useWorkflow, type StandardSchemaV1, type UseWorkflowOwnOptions, type WorkflowClient, type WorkflowConnection } from '@stepstream/svelte'
import { articleInput, articleServer, until } from '../../../test/fixtures/article-workflow.js'
import OwnRunesWriter from './OwnRunesWriter.svelte'
import OwnStoreWriter from './OwnStoreWriter.svelte'

type Input = { topic: string }

/** Every callback the component hands the adapter, recording which ones are called once it is gone. */
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

type Writer = typeof OwnRunesWriter | typeof OwnStoreWriter

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

describe.each([
  ['createWorkflow (runes)', OwnRunesWriter],
  ['a store made in the component ($wf)', OwnStoreWriter],
] as [string, Writer][])('after unmount, the client %s owns calls none of its callbacks', (_form, Writer) => {
  function mountWriter(options: UseWorkflowOwnOptions<Input>) {
    let client!: () => WorkflowClient<Input>
    const view = render(Writer, { options, expose: (exposed) => (client = exposed) })
    return { client, unmount: view.unmount }
  }

  it('stopOnUnmount: neither the stop itself nor its abort failing (offline) reaches the unmounted component', async () => {
    const server = articleServer({ words: 400, chunkDelayMs: 1 })
    let aborts = 0
    const offline: WorkflowConnection = {
      send: (request) => (request.action === 'abort' ? (aborts++, Promise.reject(new Error('offline'))) : server.connection.send(request)),
    }
    const watch = watchCallbacks()
    const { client, unmount } = mountWriter({ connection: offline, input: articleInput, stopOnUnmount: true, ...watch.callbacks })
    void client().start({ topic: 'leave' })
    await until(() => client().state.currentText.length > 0, 'text streams')

    watch.unmount(unmount)
    await until(() => aborts === 1, 'abort request')
    await settle()
    expect(client().state.status).toBe('aborted')
    expect(watch.late).toEqual([])
  })

  it('a finish whose output check was still running at unmount calls neither onFinish nor onStateChange', async () => {
    const output = slowOutputSchema()
    const watch = watchCallbacks()
    const { client, unmount } = mountWriter({ connection: articleServer().connection, input: articleInput, output: output.schema, validate: true, ...watch.callbacks })
    await client().start({ topic: 'finish' })
    await client().approve(true)
    expect(client().state.status).toBe('finished')

    watch.unmount(unmount)
    output.pass()
    await settle()
    expect(watch.late).toEqual([])
  })
})

describe('a store made outside any component', () => {
  it('is the module’s for good: after its last subscriber left, a finish already on its way still reaches onFinish', async () => {
    const output = slowOutputSchema()
    const finished: unknown[] = []
    const wf = useWorkflow({ connection: articleServer().connection, input: articleInput, output: output.schema, validate: true, onFinish: (value) => void finished.push(value) })
    const off = wf.subscribe(() => {})
    await wf.start({ topic: 'module' })
    await wf.approve(true)
    off()
    await settle()
    output.pass()
    await until(() => finished.length > 0, 'onFinish')
    expect(finished).toEqual([{ ok: true, article: 'An article about module' }])
  })
})
