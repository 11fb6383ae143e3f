import { copy, publishSignal, revealCard, testIds } from '@stepstream/playground-shared'
import { useEffect, useRef } from 'react'
import type { PendingSignal } from '@stepstream/react'

interface SignalCardProps {
  signal: PendingSignal
  /** The signal is on its way to the server (isAnswering): not offered again. */
  sending: boolean
  onSend: (name: string, payload: unknown) => void
}

export function SignalCard({ signal, sending, onSend }: SignalCardProps) {
  const prompt = (signal.meta as { prompt?: string } | undefined)?.prompt
  // Into view as it appears: on a phone it sits below the timeline (reveal.ts).
  const card = useRef<HTMLElement>(null)
  useEffect(() => revealCard(card.current!), [])
  return (
    <section ref={card} className="panel signal" data-testid={testIds.signalCard}>
      <h2>
        {copy.signalTitle}: <code>{signal.signalName}</code>
      </h2>
      {prompt ? <p>{prompt}</p> : null}
      <button className="primary" data-testid={testIds.signalButton} type="button" disabled={sending} onClick={() => onSend(publishSignal.name, publishSignal.payload)}>
        {copy.sendSignal}
      </button>
    </section>
  )
}
