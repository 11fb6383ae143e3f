/** @jsxImportSource solid-js */
// The README's Solid component, verbatim (the pragma: this consumer's other JSX is React's).
import { For, Show } from 'solid-js'
import { fetchWorkflowEvents, useWorkflow } from '@stepstream/solid'
import { z } from 'zod'

export function ArticleWriter(props: { runKey?: string }) {
  // An accessor, so props stay current: a new runKey switches to a fresh client.
  const workflow = useWorkflow(() => ({
    id: props.runKey,
    input: z.object({ topic: z.string() }), // types start()
    output: z.object({ article: z.string() }), // types workflow.output
    connection: fetchWorkflowEvents('/api/workflow'),
  }))
  return (
    <section>
      <button disabled={workflow.status === 'running'} onClick={() => workflow.start({ topic: 'rivers' })}>
        Write
      </button>
      <For each={workflow.steps}>{(step) => <p>{`${step.stepName}: ${step.status}`}</p>}</For>
      <pre>{workflow.currentText}</pre>
      <Show when={workflow.pendingApproval}>
        {(approval) => <button onClick={() => workflow.approve(true)}>{approval().title}</button>}
      </Show>
      <Show when={workflow.output}>{(output) => <article>{output().article}</article>}</Show>
    </section>
  )
}
