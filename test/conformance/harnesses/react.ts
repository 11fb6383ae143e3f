import { act, cleanup, render } from '@testing-library/react'
import { useWorkflow } from '@stepstream/react'
import { createElement, StrictMode } from 'react'
import { adapterOptions, present, type Exposed, type Harness, type HarnessOptions } from '../harness.js'

/**
 * Lets the hook's release happen: it waits a microtask after the commit, so
 * StrictMode's unmount-and-remount (and a hidden Activity) keep the client.
 */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)))

// Under StrictMode, as apps run in development: the hook must keep and let go
// of its clients right through React's simulated unmounts.
export const harness: Harness = {
  name: 'react',
  cleanup,
  mount(initial: HarnessOptions) {
    let wf: Exposed | undefined
    function View({ options }: { options: HarnessOptions }) {
      const result = useWorkflow(adapterOptions(options))
      wf = result
      const fields = present(result)
      return createElement(
        'div',
        null,
        Object.entries(fields).map(([key, text]) => createElement('output', { key, 'data-testid': key }, text)),
      )
    }
    const view = (options: HarnessOptions) => createElement(StrictMode, null, createElement(View, { options }))
    const { rerender, unmount } = render(view(initial))
    return {
      // Actions are stable for the life of the hook.
      actions: wf!,
      get client() {
        return wf!.client
      },
      // New props, as a parent re-rendering with new options would pass them.
      update: async (options) => {
        rerender(view(options))
        await settle()
      },
      unmount: async () => {
        unmount()
        await settle()
      },
    }
  },
}
