import { copy, publishSignal, revealCard, testIds } from '@stepstream/playground-shared'
import type { PendingSignal } from '@stepstream/solid'
import { onMount, Show } from 'solid-js'

/** `sending`: the signal is on its way to the server (isAnswering), so it is not offered again. */
export function SignalCard(props: { signal: PendingSignal; sending: boolean; onSend: (name: string, payload: unknown) => void }) {
  const prompt = () => (props.signal.meta as { prompt?: string } | undefined)?.prompt
  // Into view as it appears: on a phone it sits below the timeline (reveal.ts).
  let card!: HTMLElement
  onMount(() => revealCard(card))
  return (
    <section ref={card} class="panel signal" data-testid={testIds.signalCard}>
      <h2>
        {copy.signalTitle}: <code>{props.signal.signalName}</code>
      </h2>
      <Show when={prompt()}>
        <p>{prompt()}</p>
      </Show>
      <button class="primary" data-testid={testIds.signalButton} type="button" disabled={props.sending} onClick={() => props.onSend(publishSignal.name, publishSignal.payload)}>
        {copy.sendSignal}
      </button>
    </section>
  )
}
