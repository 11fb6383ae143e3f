import { copy, formatState, testIds } from '@stepstream/playground-shared'

export function StateInspector(props: { state: unknown }) {
  return (
    <section class="panel">
      <h2>{copy.state}</h2>
      <pre class="state" data-testid={testIds.state}>
        {formatState(props.state)}
      </pre>
    </section>
  )
}
