import { copy, testIds } from '@stepstream/playground-shared'

export function StreamingText({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <section className="panel">
      <h2>{copy.text}</h2>
      {text === '' ? <p className="muted">{copy.noText}</p> : null}
      <pre className="text" data-testid={testIds.text} data-streaming={streaming && text !== ''}>
        {text}
      </pre>
    </section>
  )
}
