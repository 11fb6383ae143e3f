import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { computed, defineComponent, effectScope, h, reactive, ref, type PropType } from 'vue'
import { z } from 'zod'
import { useWorkflow } from '@stepstream/vue'
import { articleInput, articleOutput, articleServer, until } from '../../../test/fixtures/article-workflow.js'

type Output = { ok: true; article: string } | { ok: false; reason: string }

describe('useWorkflow follows options given as a getter or a ref (Vue)', () => {
  it('calls the onFinish the props hold now, not the one the run started with', async () => {
    const server = articleServer()
    const Finisher = defineComponent({
      props: { onFinish: { type: Function as PropType<(output: Output) => void>, required: true } },
      setup(props) {
        const wf = useWorkflow(() => ({ connection: server.connection, input: articleInput, output: articleOutput, onFinish: props.onFinish }))
        return { wf }
      },
      render() {
        return h('p', this.wf.status.value)
      },
    })
    const first = vi.fn()
    const second = vi.fn()
    const wrapper = mount(Finisher, { props: { onFinish: first } })
    const { wf } = wrapper.vm
    const client = wf.client.value
    await wf.start({ topic: 'callbacks' })
    expect(wf.status.value).toBe('paused')

    await wrapper.setProps({ onFinish: second })
    await wf.approve(true)
    await until(() => second.mock.calls.length > 0, 'the new onFinish')
    expect(second).toHaveBeenCalledWith({ ok: true, article: 'An article about callbacks' }, expect.objectContaining({ status: 'finished' }))
    expect(first).not.toHaveBeenCalled()
    // The same client did the whole run: a new callback restarts nothing.
    expect(wf.client.value).toBe(client)
    expect(server.requests.map(({ body }) => body && Object.keys(body).find((key) => key === 'input' || key === 'approval'))).toEqual(['input', 'approval'])
    wrapper.unmount()
  })

  it('sends the next request over a changed connection, right after the change, with the same client', async () => {
    const servers = { eu: articleServer(), us: articleServer() }
    const region = ref<'eu' | 'us'>('eu')
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow(computed(() => ({ connection: servers[region.value].connection, input: articleInput }))))!
    const client = wf.client.value
    await wf.start({ topic: 'one' })
    expect(servers.eu.requests).toHaveLength(1)

    // No tick in between: an action called in the same handler as the change already uses it.
    region.value = 'us'
    await wf.start({ topic: 'two' })
    expect(servers.us.requests.map(({ body }) => body?.input)).toEqual([{ topic: 'two' }])
    expect(servers.eu.requests).toHaveLength(1)
    expect(wf.client.value).toBe(client)
    scope.stop()
  })

  it('switches to a fresh client when the getter gives a new id, letting go of the old one', async () => {
    const server = articleServer({ words: 40, chunkDelayMs: 1 })
    const runKey = ref('first')
    const scope = effectScope()
    const wf = scope.run(() => useWorkflow(() => ({ connection: server.connection, id: runKey.value })))!
    const first = wf.client.value
    void wf.start({ topic: 'ids' })
    await until(() => wf.currentText.value.length > 0, 'text streams')

    runKey.value = 'second'
    expect(wf.client.value).not.toBe(first)
    expect(first.state.connection).toBe('closed')
    expect(wf.status.value).toBe('idle')
    await wf.start({ topic: 'ids again' })
    expect(wf.status.value).toBe('paused')
    scope.stop()
    await flushPromises()
  })

  it('gives the client each option itself when the options sit in reactive state (ref(), reactive(), a store): zod refuses Vue’s deep proxy of its schema', async () => {
    const server = articleServer()
    // Schemas no check has run yet, as at an app's start (zod makes some of its internals on first use).
    const input = z.object({ topic: z.string() })
    const output = z.object({ ok: z.literal(true), article: z.string() })
    const options = { connection: server.connection, input, output, validate: true }
    const scope = effectScope()
    const [fromRef, fromReactive, fromGetter] = scope.run(() => {
      const store = reactive({ options })
      return [useWorkflow(ref(options)), useWorkflow(reactive(options)), useWorkflow(() => ({ ...store.options }))]
    })!
    for (const wf of [fromRef, fromReactive, fromGetter]) {
      await wf.start({ topic: 'kept in state' })
      expect(wf.error.value).toBeNull()
      await wf.approve(true)
      expect(wf.output.value).toEqual({ ok: true, article: 'An article about kept in state' })
    }
    scope.stop()
  })
})
