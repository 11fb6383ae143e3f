import { cleanup, render } from '@solidjs/testing-library'
import { useWorkflow } from '@stepstream/solid'
import { createSignal } from 'solid-js'
import html from 'solid-js/html'
import { adapterOptions, present, viewKeys, type Exposed, type Harness, type HarnessOptions } from '../harness.js'

// Solid's buildless templates (`solid-js/html`): the same fine-grained
// bindings JSX compiles to, without a JSX setup shared with React.
export const harness: Harness = {
  name: 'solid',
  cleanup,
  mount(initial: HarnessOptions) {
    // The options as a signal, which useWorkflow tracks as it would a prop.
    const [options, setOptions] = createSignal(initial)
    let wf: Exposed | undefined
    const { unmount } = render(() => {
      const result = useWorkflow(() => adapterOptions(options()))
      wf = result
      return html`<div>${viewKeys.map((key) => html`<output data-testid=${key}>${() => present(result)[key]}</output>`)}</div>`
    })
    return {
      actions: wf!,
      get client() {
        return wf!.client
      },
      // Solid follows a signal synchronously: nothing to wait for.
      update: async (options) => void setOptions(() => options),
      unmount: async () => unmount(),
    }
  },
}
