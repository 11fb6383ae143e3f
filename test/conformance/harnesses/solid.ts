import { cleanup, render } from '@solidjs/testing-library'
import { useWorkflow } from '@stepstream/solid'
import html from 'solid-js/html'
import { present, viewKeys, type Harness, type HarnessActions, type HarnessOptions } from '../harness.js'
import { articleInput, articleOutput } from '../workflows.js'

// Solid's buildless templates (`solid-js/html`): the same fine-grained
// bindings JSX compiles to, without a JSX setup shared with React.
export const harness: Harness = {
  name: 'solid',
  cleanup,
  mount(options: HarnessOptions) {
    let actions: HarnessActions | undefined
    const { unmount } = render(() => {
      const wf = useWorkflow({
        connection: options.connection,
        body: { workflow: options.workflow },
        input: articleInput,
        output: articleOutput,
        validate: options.validate,
        stopOnUnmount: options.stopOnUnmount,
      })
      actions = wf
      return html`<div>${viewKeys.map((key) => html`<output data-testid=${key}>${() => present(wf)[key]}</output>`)}</div>`
    })
    return { actions: actions!, unmount }
  },
}
