import { copy, publishSignal, testIds } from '@stepstream/playground-shared'
import type { PendingSignal } from '@stepstream/react'

interface SignalCardProps {
  signal: PendingSignal
  onSend: (name: string, payload: unknown) => void
}

export function SignalCard({ signal, onSend }: SignalCardProps) {
  const prompt = (signal.meta as { prompt?: string } | undefined)?.prompt
  return (
    <section className="panel signal" data-testid={testIds.signalCard}>
      <h3>
        {copy.signalTitle}: <code>{signal.signalName}</code>
      </h3>
      {prompt ? <p>{prompt}</p> : null}
      <button className="primary" data-testid={testIds.signalButton} type="button" onClick={() => onSend(publishSignal.name, publishSignal.payload)}>
        {copy.sendSignal}
      </button>
    </section>
  )
}
