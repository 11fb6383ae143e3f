import { cleanup, render } from '@testing-library/svelte'
import type { Harness, HarnessActions, HarnessOptions } from '../harness.js'
import View from './RunesView.svelte'

export const harness: Harness = {
  name: 'svelte (runes, createWorkflow)',
  cleanup,
  mount(options: HarnessOptions) {
    let actions: HarnessActions | undefined
    const { unmount } = render(View, { options, expose: (exposed: HarnessActions) => (actions = exposed) })
    return { actions: actions!, unmount }
  },
}
