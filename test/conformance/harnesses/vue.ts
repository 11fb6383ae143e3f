import { cleanup, render } from '@testing-library/vue'
import { useWorkflow } from '@stepstream/vue'
import { defineComponent, h } from 'vue'
import { present, type Harness, type HarnessActions, type HarnessOptions } from '../harness.js'
import { articleInput, articleOutput } from '../workflows.js'

export const harness: Harness = {
  name: 'vue',
  cleanup,
  mount(options: HarnessOptions) {
    let actions: HarnessActions | undefined
    const View = defineComponent({
      setup() {
        const wf = useWorkflow({
          connection: options.connection,
          body: { workflow: options.workflow },
          input: articleInput,
          output: articleOutput,
          validate: options.validate,
          stopOnUnmount: options.stopOnUnmount,
        })
        actions = wf
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
    return { actions: actions!, unmount }
  },
}
