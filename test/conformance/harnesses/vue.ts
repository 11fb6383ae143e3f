import { cleanup, render } from '@testing-library/vue'
import { useWorkflow } from '@stepstream/vue'
import { defineComponent, h, nextTick, shallowRef } from 'vue'
import { adapterOptions, present, type Exposed, type Harness, type HarnessOptions } from '../harness.js'

export const harness: Harness = {
  name: 'vue',
  cleanup,
  mount(initial: HarnessOptions) {
    // The options as a ref read through a getter, which useWorkflow follows as it changes.
    const options = shallowRef(initial)
    let exposed: Exposed | undefined
    const View = defineComponent({
      setup() {
        const wf = useWorkflow(() => adapterOptions(options.value))
        exposed = {
          ...wf,
          get client() {
            return wf.client.value
          },
        }
        const { status, connection, runId, steps, currentText, pendingApproval, pendingSignal, output, error } = wf
        return () => {
          const fields = present({
            status: status.value,
            connection: connection.value,
            runId: runId.value,
            steps: steps.value,
            currentText: currentText.value,
            pendingApproval: pendingApproval.value,
            pendingSignal: pendingSignal.value,
            output: output.value,
            error: error.value,
          })
          return h('div', Object.entries(fields).map(([key, text]) => h('output', { key, 'data-testid': key }, text)))
        }
      },
    })
    const { unmount } = render(View)
    return {
      actions: exposed!,
      get client() {
        return exposed!.client
      },
      // useWorkflow follows the change at once (a sync watcher); the tick re-renders the view.
      update: async (next) => {
        options.value = next
        await nextTick()
      },
      unmount: async () => unmount(),
    }
  },
}
