import { copy, testIds } from '@stepstream/playground-shared'
import { Show } from 'solid-js'

export function StreamingText(props: { text: string; streaming: boolean }) {
  return (
    <section class="panel">
      <h2>{copy.text}</h2>
      <Show when={props.text === ''}>
        <p class="muted">{copy.noText}</p>
      </Show>
      <pre class="text" data-testid={testIds.text} data-streaming={String(props.streaming && props.text !== '')}>
        {props.text}
      </pre>
    </section>
  )
}
