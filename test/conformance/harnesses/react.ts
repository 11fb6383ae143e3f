import { cleanup, render } from '@testing-library/react'
import { useWorkflow } from '@stepstream/react'
import { createElement } from 'react'
import { present, type Harness, type HarnessActions, type HarnessOptions } from '../harness.js'
import { articleInput, articleOutput } from '../workflows.js'

export const harness: Harness = {
  name: 'react',
  cleanup,
  mount(options: HarnessOptions) {
    let actions: HarnessActions | undefined
    function View() {
      const wf = useWorkflow({
        connection: options.connection,
        body: { workflow: options.workflow },
        input: articleInput,
        output: articleOutput,
        validate: options.validate,
        stopOnUnmount: options.stopOnUnmount,
      })
      // Actions are stable for the life of the hook.
      actions = wf
      const fields = present(wf)
      return createElement(
        'div',
        null,
        Object.entries(fields).map(([key, text]) => createElement('output', { key, 'data-testid': key }, text)),
      )
    }
    const { unmount } = render(createElement(View))
    return { actions: actions!, unmount }
  },
}
