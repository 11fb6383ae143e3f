// @vitest-environment node
import type { ConnectionRequest, WorkflowConnection } from '@stepstream/client'
import { describe, expect, it } from 'vitest'
import { createSSRApp, defineComponent, h, onMounted } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { useWorkflow } from '@stepstream/vue'

describe('useWorkflow during SSR', () => {
  it('renders the initial state and sends nothing', async () => {
    const sent: ConnectionRequest[] = []
    const connection: WorkflowConnection = {
      send: (request) => {
        sent.push(request)
        return Promise.reject(new Error('no network during SSR'))
      },
    }
    const App = defineComponent({
      setup() {
        const { status, steps, start } = useWorkflow({ connection })
        // Mounted hooks never run on the server.
        onMounted(() => void start({ topic: 'ssr' }))
        return () => h('p', `${status.value}:${steps.value.length}`)
      },
    })
    expect(typeof window).toBe('undefined')
    const html = await renderToString(createSSRApp(App))
    expect(html).toBe('<p>idle:0</p>')
    expect(sent).toHaveLength(0)
  })
})
