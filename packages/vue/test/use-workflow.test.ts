import { localWorkflowEvents, WorkflowClient } from '@stepstream/client'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, effectScope, h, KeepAlive, nextTick, reactive, ref, shallowRef, type Component, type Ref } from 'vue'
import { useWorkflow } from '@stepstream/vue'
import { articleInput, articleOutput, articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { sleeperHandler } from '../../../test/fixtures/sleeper-server.js'

afterEach(() => vi.restoreAllMocks())

describe('useWorkflow (Vue)', () => {
  it('keeps reactivity when its refs are destructured: start, stream, request changes, approve, output', async () => {
    const { connection } = articleServer()
    const Article = defineComponent({
      setup() {
        const { status, currentText, pendingApproval, output, start, approve } = useWorkflow({
          connection,
          input: articleInput,
          output: articleOutput,
        })
        return () =>
          h('div', [
            h('p', { id: 'status' }, status.value),
            h('p', { id: 'text' }, currentText.value),
            pendingApproval.value && h('button', { id: 'approve', onClick: () => approve(true) }, pendingApproval.value.title),
            pendingApproval.value && h('button', { id: 'revise', onClick: () => approve(false, 'shorter') }, 'Request changes'),
            output.value?.ok && h('article', output.value.article),
            h('button', { id: 'start', onClick: () => start({ topic: 'Vue' }) }, 'Start'),
          ])
      },
    })
    const wrapper = mount(Article)
    expect(wrapper.get('#status').text()).toBe('idle')
    await wrapper.get('#start').trigger('click')
    await until(() => wrapper.get('#status').text() === 'paused', 'first pause')
    expect(wrapper.get('#text').text()).toBe('draft-0 draft-1 draft-2 draft-3 draft-4')
    await wrapper.get('#revise').trigger('click')
    await until(() => wrapper.get('#status').text() === 'paused' && wrapper.get('#text').text().startsWith('revised'), 'second pause')
    await wrapper.get('#approve').trigger('click')
    await until(() => wrapper.get('#status').text() === 'finished', 'finish')
    expect(wrapper.get('article').text()).toBe('Revised article about Vue')
    wrapper.unmount()
  })

  it('re-renders a status-only component per status change, not per streamed token', async () => {
    const { connection } = articleServer({ words: 60, chunkDelayMs: 1 })
    const renders = { status: 0, text: 0 }
    const client = new WorkflowClient({ connection })
    const StatusOnly = defineComponent({
      setup() {
        const { status } = useWorkflow({ client })
        return () => (renders.status++, h('p', status.value))
      },
    })
    const TextOnly = defineComponent({
      setup() {
        const { currentText } = useWorkflow({ client })
        return () => (renders.text++, h('p', currentText.value))
      },
    })
    mount(StatusOnly)
    mount(TextOnly)
    await client.start({ topic: 'tokens' })
    await nextTick()
    expect(client.state.status).toBe('paused')
    // idle -> running -> paused: the initial render plus at most one per status.
    expect(renders.status).toBeLessThanOrEqual(3)
    expect(renders.text).toBeGreaterThan(renders.status * 5)
  })

  it('disconnects (but does not stop the run) when its scope is disposed', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow({ connection: server.connection }))!
    void wf.start({ topic: 'scope' })
    await until(() => wf.currentText.value.length > 0, 'text streams')
    scope.stop()
    const left = wf.client.value
    expect(left.state.connection).toBe('closed')
    expect(left.state.status).toBe('running')
    expect(server.requests.some((request) => request.body?.abort === true)).toBe(false)

    // The run went on without us: a fresh client attaches and sees it pause.
    const later = new WorkflowClient({ connection: server.connection })
    await later.attach(left.state.runId!)
    expect(later.state.status).toBe('paused')
    expect(later.state.currentText.split(' ')).toHaveLength(40)
  })

  it('stops the run on the server when stopOnUnmount is set', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow({ connection: server.connection, stopOnUnmount: true }))!
    void wf.start({ topic: 'scope' })
    await until(() => wf.currentText.value.length > 0, 'text streams')
    const runId = wf.runId.value!
    scope.stop()
    await until(() => server.requests.some((request) => request.body?.abort === true), 'abort request')
    const later = new WorkflowClient({ connection: server.connection })
    await later.attach(runId)
    expect(later.state.status).toBe('aborted')
  })

  it('warns when called outside a component or effect scope, and not inside one', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { connection } = articleServer()
    const scope = effectScope()
    scope.run(() => useWorkflow({ connection }))
    expect(warn).not.toHaveBeenCalled()
    scope.stop()
    useWorkflow({ connection })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/outside a component setup\(\) or an effectScope\(\)/)
  })

  it('reads a ref body at each request', async () => {
    const server = articleServer()
    const workflow = ref('article')
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow({ connection: server.connection, body: () => ({ workflow: workflow.value }) }))!
    await wf.start({ topic: 'one' })
    await wf.approve(true)
    expect(wf.output.value).toEqual({ ok: true, article: 'An article about one' })
    workflow.value = 'essay'
    await wf.start({ topic: 'two' })
    await wf.approve(true)
    expect(wf.output.value).toEqual({ ok: true, article: 'An essay about two' })
    scope.stop()
  })

  it('switches to a fresh client when a reactive id changes, aborting the old stream', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const id = ref('first')
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow({ connection: server.connection, id }))!
    const first = wf.client.value
    void wf.start({ topic: 'ids' })
    await until(() => wf.currentText.value.length > 0, 'text streams')
    id.value = 'second'
    await nextTick()
    expect(wf.client.value).not.toBe(first)
    expect(first.state.connection).toBe('closed')
    expect(wf.status.value).toBe('idle')
    expect(wf.currentText.value).toBe('')
    await wf.start({ topic: 'ids again' })
    expect(wf.status.value).toBe('paused')
    scope.stop()
  })

  it('leaves a shared client connected when one of its components unmounts', async () => {
    const { connection } = articleServer({ words: 20, chunkDelayMs: 1 })
    const client = new WorkflowClient({ connection, input: articleInput })
    const Status = defineComponent({
      setup() {
        const { status } = useWorkflow({ client })
        return () => h('p', status.value)
      },
    })
    const one = mount(Status)
    const two = mount(Status)
    const done = client.start({ topic: 'shared' })
    await until(() => client.state.currentText.length > 0, 'text streams')
    one.unmount()
    expect(client.state.connection).toBe('open')
    await done
    await flushPromises()
    expect(two.text()).toBe('paused')
  })

  it('follows a shared client given as a ref or getter when it changes (e.g. after the owner’s id changed)', async () => {
    const { connection } = articleServer()
    const id = ref('first')
    const scope = effectScope()
    const [owner, follower] = scope.run(() => {
      const owner = useWorkflow({ connection, id })
      return [owner, useWorkflow({ client: owner.client })] as const
    })!
    expect(follower.client.value).toBe(owner.client.value)

    id.value = 'second'
    await nextTick()
    expect(follower.client.value).toBe(owner.client.value)
    await owner.start({ topic: 'followed' })
    expect(follower.status.value).toBe('paused')
    scope.stop()
  })

  it('follows a shared client kept in a deep ref or reactive state (as ref() and Pinia keep it), not the proxy Vue wraps it in', async () => {
    const { connection } = articleServer()
    const client = new WorkflowClient({ connection, input: articleInput })
    // ref() and reactive() make a class instance a deep proxy, on which its #private members throw.
    // Their types unwrap the class into a plain shape, hence the casts an app needs to pass them.
    const held = ref(client) as Ref<typeof client>
    const store = reactive({ client }) as { client: typeof client }
    const scope = effectScope()
    const [fromRef, fromReactive] = scope.run(() => [useWorkflow({ client: held }), useWorkflow(store)] as const)!
    expect(fromRef.client.value).toBe(client)
    expect(fromReactive.client.value).toBe(client)
    await fromRef.start({ topic: 'proxied' })
    expect(fromRef.status.value).toBe('paused')
    expect(fromReactive.status.value).toBe('paused')
    scope.stop()
  })

  it('keeps following while <KeepAlive> caches its component: a paused run’s deadline look still fires', async () => {
    // KeepAlive keeps a deactivated component's scope, so nothing is let go and no look is cancelled.
    const connection = localWorkflowEvents(sleeperHandler(100))
    let workflow: ReturnType<typeof useWorkflow> | undefined
    const Sleeper = defineComponent({
      setup() {
        const wf = (workflow = useWorkflow({ connection }))
        return () => h('p', wf.status.value)
      },
    })
    const Elsewhere = defineComponent({ setup: () => () => h('p', 'elsewhere') })
    const shown = shallowRef<Component>(Sleeper)
    const wrapper = mount(defineComponent({ setup: () => () => h(KeepAlive, null, [h(shown.value)]) }))
    await workflow!.start(null)
    expect(wrapper.text()).toBe('paused')

    shown.value = Elsewhere
    await nextTick()
    expect(wrapper.text()).toBe('elsewhere')
    await expect.poll(() => workflow!.status.value, { timeout: 3_000 }).toBe('finished')

    shown.value = Sleeper
    await nextTick()
    expect(wrapper.text()).toBe('finished')
    wrapper.unmount()
  })
})
