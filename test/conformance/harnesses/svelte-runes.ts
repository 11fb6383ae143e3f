import { cleanup, render } from '@testing-library/svelte'
import type { Exposed, Harness, HarnessOptions } from '../harness.js'
import View from './RunesView.svelte'

export const harness: Harness = {
  name: 'svelte (runes, createWorkflow)',
  cleanup,
  mount(options: HarnessOptions) {
    let wf: Exposed | undefined
    const { rerender, unmount } = render(View, { options, expose: (exposed: Exposed) => (wf = exposed) })
    return {
      actions: wf!,
      get client() {
        return wf!.client
      },
      // New props: the testing library keeps them in a `$state.raw` and flushes the change.
      update: (next) => rerender({ options: next }),
      unmount: async () => unmount(),
    }
  },
}
