import { WorkflowClient } from '@stepstream/client'
import { fireEvent, render, screen } from '@solidjs/testing-library'
import { batch, createEffect, createRoot, createSignal, For, Show, type JSX } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { useWorkflow, type UseWorkflowOptions, type UseWorkflowResult } from '@stepstream/solid'
import { articleInput, articleOutput, articleServer, until } from '../../../test/fixtures/article-workflow.js'

describe('useWorkflow (Solid)', () => {
  it('runs the article demo: start, stream, request changes, approve, output', async () => {
    const { connection } = articleServer()
    render(() => {
      const wf = useWorkflow({ connection, input: articleInput, output: articleOutput })
      return (
        <div>
          <p data-testid="status">{wf.status}</p>
          <p data-testid="text">{wf.currentText}</p>
          <Show when={wf.pendingApproval}>
            <button onClick={() => wf.approve(true)}>Approve</button>
            <button onClick={() => wf.approve(false, 'shorter')}>Request changes</button>
          </Show>
          <Show when={wf.output?.ok && wf.output}>{(output) => <article>{output().article}</article>}</Show>
          <button onClick={() => wf.start({ topic: 'Solid' })}>Start</button>
        </div>
      )
    })
    const status = () => screen.getByTestId('status').textContent
    expect(status()).toBe('idle')
    fireEvent.click(screen.getByText('Start'))
    await until(() => status() === 'paused', 'first pause')
    expect(screen.getByTestId('text').textContent).toBe('draft-0 draft-1 draft-2 draft-3 draft-4')
    fireEvent.click(screen.getByText('Request changes'))
    await until(() => status() === 'paused' && screen.getByTestId('text').textContent!.startsWith('revised'), 'second pause')
    fireEvent.click(screen.getByText('Approve'))
    await until(() => status() === 'finished', 'finish')
    expect(screen.getByRole('article').textContent).toBe('Revised article about Solid')
  })

  it('re-runs an effect reading status per status change, not per streamed token', async () => {
    const { connection } = articleServer({ words: 60, chunkDelayMs: 1 })
    const runs = { status: 0, text: 0 }
    const wf = createRoot((dispose) => {
      const wf = useWorkflow({ connection })
      createEffect(() => {
        void wf.status
        runs.status++
      })
      createEffect(() => {
        void wf.currentText
        runs.text++
      })
      return Object.assign(wf, { dispose })
    })
    await wf.start({ topic: 'tokens' })
    expect(wf.status).toBe('paused')
    // idle (first run), running, paused.
    expect(runs.status).toBeLessThanOrEqual(3)
    expect(runs.text).toBeGreaterThan(runs.status * 5)
    wf.dispose()
  })

  it('disconnects on cleanup without stopping the run; stopOnUnmount stops it', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const [kept, keep] = createRoot((dispose) => [useWorkflow({ connection: server.connection }), dispose] as const)
    void kept.start({ topic: 'cleanup' })
    await until(() => kept.currentText.length > 0, 'text streams')
    keep()
    expect(kept.client.state.connection).toBe('closed')
    expect(server.requests.some((request) => request.body?.abort === true)).toBe(false)
    const later = new WorkflowClient({ connection: server.connection })
    await later.attach(kept.client.state.runId!)
    expect(later.state.status).toBe('paused')

    const [stopped, stop] = createRoot((dispose) => [useWorkflow({ connection: server.connection, stopOnUnmount: true }), dispose] as const)
    void stopped.start({ topic: 'cleanup' })
    await until(() => stopped.currentText.length > 0, 'text streams')
    stop()
    expect(stopped.client.state.status).toBe('aborted')
    await until(() => server.requests.some((request) => request.body?.abort === true), 'abort request')
  })

  it('takes an options accessor: latest callbacks, and a new id switches clients', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const [id, setId] = createSignal('first')
    const [label, setLabel] = createSignal('old')
    const finished: string[] = []
    const [wf, dispose] = createRoot((dispose) => {
      const wf = useWorkflow(() => {
        const current = label()
        return { connection: server.connection, id: id(), onFinish: () => void finished.push(current) }
      })
      return [wf, dispose] as const
    })
    const first = wf.client
    setLabel('new')
    expect(wf.client).toBe(first)
    await wf.start({ topic: 'callbacks' })
    await wf.approve(true)
    await until(() => finished.length > 0, 'onFinish')
    expect(finished).toEqual(['new'])

    void wf.start({ topic: 'ids' })
    await until(() => wf.currentText.length > 0, 'text streams')
    setId('second')
    expect(wf.client).not.toBe(first)
    expect(first.state.connection).toBe('closed')
    expect(wf.status).toBe('idle')
    dispose()
  })

  it('leaves a shared client alone on cleanup', async () => {
    const { connection } = articleServer({ words: 20, chunkDelayMs: 1 })
    const client = new WorkflowClient({ connection })
    const [wf, dispose] = createRoot((dispose) => [useWorkflow({ client }), dispose] as const)
    const done = client.start({ topic: 'shared' })
    await until(() => wf.currentText.length > 0, 'text streams')
    dispose()
    expect(client.state.connection).toBe('open')
    await done
    expect(client.state.status).toBe('paused')
  })
})

describe('useWorkflow (Solid): steps in <For>', () => {
  it('keeps each step’s row while its text streams: the row is made once, and only what reads a changed field re-runs', async () => {
    const { connection } = articleServer({ words: 20 })
    const made: string[] = []
    const statusReads = { count: 0 }
    let wf!: UseWorkflowResult
    render(() => {
      wf = useWorkflow({ connection })
      return (
        <For each={wf.steps}>
          {(step) => {
            made.push(step.stepName)
            return (
              <li>
                <b>
                  {(() => {
                    statusReads.count++
                    return step.status
                  })()}
                </b>
                <span data-testid={`text-${step.stepName}`}>{step.text}</span>
              </li>
            )
          }}
        </For>
      )
    })
    await wf.start({ topic: 'rows' })
    expect(wf.status).toBe('paused')
    // The writer's row and the approval's, each made once, not once per token.
    expect(made).toEqual(['writer', 'Publish this article?'])
    expect(screen.getByTestId('text-writer').textContent).toBe(Array.from({ length: 20 }, (_, i) => `draft-${i}`).join(' '))
    // Each row's status: running, then the writer's finished.
    expect(statusReads.count).toBeLessThanOrEqual(3)
    // The steps read as the client's, and the current step is the row's.
    expect(wf.steps).toEqual(wf.client.state.steps)
    expect(wf.currentStep).toBe(wf.steps.at(-1))
    expect(JSON.parse(JSON.stringify(wf.currentStep))).toEqual(wf.client.state.currentStep)
  })
})

describe('useWorkflow (Solid): fields a step gains later', () => {
  it('wakes a row that read finishedAt, result or error before the step had them', async () => {
    const { connection } = articleServer({ words: 3 })
    let wf!: UseWorkflowResult
    render(() => {
      wf = useWorkflow({ connection })
      return (
        <For each={wf.steps}>
          {(step) => (
            <p data-testid={`row-${step.stepType}`}>
              {step.finishedAt === undefined ? 'open' : 'closed'} {step.result === undefined ? 'no result' : 'result'} {step.error?.message ?? 'no error'}
            </p>
          )}
        </For>
      )
    })
    await wf.start({ topic: 'later fields' })
    // The writer's row was made while it ran (none of the three yet); it has since finished with a result.
    expect(screen.getByTestId('row-agent').textContent).toBe('closed result no error')
    await wf.stop()
    // The approval's row was made while it waited; the stop failed it.
    expect(screen.getByTestId('row-approval').textContent).toBe('closed no result Run aborted')
    // Absent fields stay out: the views spread, serialise and compare as the client's steps.
    for (const [index, step] of wf.client.state.steps.entries()) expect(Object.keys(wf.steps[index]!).sort()).toEqual(Object.keys(step).sort())
    expect(wf.steps).toStrictEqual(wf.client.state.steps)
    expect(JSON.parse(JSON.stringify(wf.steps))).toEqual(JSON.parse(JSON.stringify(wf.client.state.steps)))
  })
})

describe('useWorkflow (Solid): the client from an options accessor', () => {
  it('follows a new shared client, and switches between a shared and an owned one', async () => {
    const { connection } = articleServer()
    const a = new WorkflowClient({ connection })
    const b = new WorkflowClient({ connection })
    await b.start({ topic: 'b' })
    const [shared, setShared] = createSignal<WorkflowClient | undefined>(a)
    const [wf, dispose] = createRoot((dispose) => {
      const wf = useWorkflow(() => {
        const client = shared()
        return client ? { client } : { connection }
      })
      return [wf, dispose] as const
    })
    expect(wf.client).toBe(a)

    setShared(b)
    expect(wf.client).toBe(b)
    expect(wf.status).toBe('paused')

    // No shared client: one of its own, fresh, and the shared one left as it was.
    setShared(undefined)
    const owned = wf.client
    expect(owned).not.toBe(b)
    expect(wf.status).toBe('idle')
    void wf.start({ topic: 'owned' })
    await until(() => wf.currentText.length > 0, 'text streams')

    // Back to a shared client: the owned one is let go, the shared one followed.
    setShared(a)
    expect(wf.client).toBe(a)
    expect(owned.state.connection).toBe('closed')
    expect(wf.status).toBe('idle')
    dispose()
    expect(b.state.status).toBe('paused')
  })
})

describe('useWorkflow (Solid): an action right after an option change', () => {
  // Solid runs the computation that follows the options only after a batch
  // or the effect that changed them: the action must not wait for it.
  it.each([
    ['in a batch', (change: () => void) => batch(change)],
    ['in an effect', (change: () => void) => createRoot(() => createEffect(change))],
  ])('%s: start() after a new id and connection runs on the new id’s client, over the new connection', async (_where, within) => {
    const servers = { eu: articleServer(), us: articleServer() }
    const [id, setId] = createSignal('first')
    const [region, setRegion] = createSignal<'eu' | 'us'>('eu')
    const [wf, dispose] = createRoot((dispose) => [useWorkflow(() => ({ connection: servers[region()].connection, id: id() })), dispose] as const)
    const first = wf.client
    let started!: Promise<unknown>
    within(() => {
      setId('second')
      setRegion('us')
      started = wf.start({ topic: 'now' })
    })
    await started
    expect(wf.client).not.toBe(first)
    expect(first.state.status).toBe('idle')
    expect(servers.eu.requests).toHaveLength(0)
    expect(wf.status).toBe('paused')
    expect(wf.currentText).toBe('draft-0 draft-1 draft-2 draft-3 draft-4')
    dispose()

    // Cleaned up, it makes no client that nothing would let go of.
    const second = wf.client
    setId('third')
    wf.reset()
    expect(wf.client).toBe(second)
  })
})

describe('useWorkflow (Solid): options from a component’s props', () => {
  type Options = UseWorkflowOptions<{ topic: string }>
  it.each([
    ['useWorkflow(props)', (props: Options) => useWorkflow(props)],
    ['useWorkflow(() => props)', (props: Options) => useWorkflow(() => props)],
  ])('%s: a prop that changes (the body, a callback, the id) is used from then on', async (_form, use) => {
    const server = articleServer()
    const [tenant, setTenant] = createSignal('acme')
    const [label, setLabel] = createSignal('old')
    const [id, setId] = createSignal('first')
    const finished: string[] = []
    const onFinish = { old: () => void finished.push('old'), new: () => void finished.push('new') }
    let wf!: UseWorkflowResult<{ topic: string }>
    // Props as Solid passes them: getters over the parent's signals, never destructured.
    function Writer(props: Options & { children?: JSX.Element }): JSX.Element {
      wf = use(props)
      return <p data-testid="status">{wf.status}</p>
    }
    const children = { read: 0 }
    render(() => (
      <Writer connection={server.connection} body={{ tenant: tenant() }} onFinish={onFinish[label() as 'old' | 'new']} id={id()}>
        {(() => {
          // Reading children renders them: the options never ask for them.
          children.read++
          return <span />
        })()}
      </Writer>
    ))
    const first = wf.client
    setTenant('globex')
    setLabel('new')
    expect(wf.client).toBe(first)
    await wf.start({ topic: 'props' })
    expect(server.requests.at(-1)?.body).toMatchObject({ tenant: 'globex', input: { topic: 'props' } })
    await wf.approve(true)
    await until(() => finished.length > 0, 'onFinish')
    expect(finished).toEqual(['new'])

    setId('second')
    expect(wf.client).not.toBe(first)
    expect(wf.status).toBe('idle')
    expect(children.read).toBe(0)
  })
})
