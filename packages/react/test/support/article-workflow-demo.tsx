import { useWorkflow, type WorkflowConnection } from '@stepstream/react'
import { ArticleInputSchema, ArticleWorkflowOutputSchema } from './article-workflow.js'

/**
 * The TanStack AI blog's `ArticleWorkflowDemo`, as written, except that the
 * connection comes in as a prop so the test can hand it the reference server.
 */
export function ArticleWorkflowDemo({ connection }: { connection: WorkflowConnection }) {
  const workflow = useWorkflow({
    input: ArticleInputSchema,
    output: ArticleWorkflowOutputSchema,
    connection,
  })

  return (
    <section>
      <button
        type="button"
        disabled={workflow.status === 'running'}
        onClick={() =>
          workflow.start({
            topic: 'How typed agent workflows improve AI product UX',
          })
        }
      >
        Start workflow
      </button>

      {workflow.steps.map((step) => (
        <div key={step.stepId}>
          <strong>{step.stepName}</strong>
          <span>{step.status}</span>
        </div>
      ))}

      {workflow.currentText ? <pre>{workflow.currentText}</pre> : null}

      {workflow.pendingApproval ? (
        <div>
          <h2>{workflow.pendingApproval.title}</h2>
          <p>{workflow.pendingApproval.description}</p>
          <button type="button" onClick={() => workflow.approve(true)}>
            Approve
          </button>
          <button type="button" onClick={() => workflow.approve(false, 'Tighten the conclusion.')}>
            Request changes
          </button>
        </div>
      ) : null}

      {workflow.output?.ok ? (
        <article>
          <h1>{workflow.output.article.title}</h1>
          <p>{workflow.output.article.body}</p>
        </article>
      ) : null}

      {workflow.output && !workflow.output.ok ? <p>{workflow.output.reason}</p> : null}
    </section>
  )
}
