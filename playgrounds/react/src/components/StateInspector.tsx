import { copy, formatState, testIds } from '@stepstream/playground-shared'

export function StateInspector({ state }: { state: unknown }) {
  return (
    <section className="panel">
      <h2>{copy.state}</h2>
      <pre className="state" data-testid={testIds.state}>
        {formatState(state)}
      </pre>
    </section>
  )
}
