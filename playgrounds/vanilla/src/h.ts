import type { TestId } from '@stepstream/playground-shared'

type Child = Node | string | null | undefined | false

interface Props {
  className?: string
  testId?: TestId
  /** Set as attributes, e.g. `{ type: 'button' }`. */
  attrs?: Record<string, string>
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>
}

/** A tiny element factory: enough DOM building to keep the views readable without a framework. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (props.className) element.className = props.className
  if (props.testId) element.dataset.testid = props.testId
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value)
  for (const [type, listener] of Object.entries(props.on ?? {})) element.addEventListener(type, listener as EventListener)
  element.append(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false))
  return element
}
