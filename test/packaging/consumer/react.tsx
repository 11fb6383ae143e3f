// The README's React component, verbatim.
import { fetchWorkflowEvents, useWorkflow } from '@stepstream/react'
import { z } from 'zod'

export function ArticleWriter() {
  const workflow = useWorkflow({
    input: z.object({ topic: z.string() }), // types start()
    output: z.object({ article: z.string() }), // types workflow.output
    connection: fetchWorkflowEvents('/api/workflow'),
    throttleMs: 50, // streamed text re-renders at most every 50 ms
  })
  return (
    <section>
      <button disabled={workflow.status === 'running'} onClick={() => workflow.start({ topic: 'rivers' })}>
        Write
      </button>
      {workflow.steps.map((step) => (
        <p key={step.stepId}>{`${step.stepName}: ${step.status}`}</p>
      ))}
      <pre>{workflow.currentText}</pre>
      {workflow.pendingApproval ? (
        <button onClick={() => workflow.approve(true)}>{workflow.pendingApproval.title}</button>
      ) : null}
      {workflow.output ? <article>{workflow.output.article}</article> : null}
    </section>
  )
}
