import { cleanup, render } from '@testing-library/svelte'
import type { Exposed, Harness, HarnessOptions } from '../harness.js'
import View from './StoreView.svelte'

const fixedOptions = 'the store form reads its options once, when the store is created (its one client for life)'

export const harness: Harness = {
  name: 'svelte (store, \$wf)',
  fixedOptions,
  cleanup,
  mount(options: HarnessOptions) {
    let wf: Exposed | undefined
    const { unmount } = render(View, { options, expose: (exposed: Exposed) => (wf = exposed) })
    return {
      actions: wf!,
      get client() {
        return wf!.client
      },
      update: () => Promise.reject(new Error(`not applicable: ${fixedOptions}`)),
      unmount: async () => unmount(),
    }
  },
}
