import type { WorkflowClientState } from '@stepstream/client'
import type { ArticleOutput, DemoState } from '@stepstream/playground-shared'

export type State = WorkflowClientState<ArticleOutput, DemoState>

/**
 * A region of the page. `update` runs on every published state; each view
 * compares the fields it shows with the last ones it drew (the client keeps
 * unchanged fields identical), so a text token touches only the text.
 */
export interface View {
  element: HTMLElement
  update(state: State): void
}

/** Runs `draw` only when `pick(state)` changed since the last call. */
export function whenChanged<T>(pick: (state: State) => T, draw: (value: T) => void): (state: State) => void {
  let last: { value: T } | undefined
  return (state) => {
    const value = pick(state)
    if (last && Object.is(last.value, value)) return
    last = { value }
    draw(value)
  }
}
