import type { WorkflowClient } from '@stepstream/client'
import { useWorkflow } from '@stepstream/solid'

/** A component following a shared client: what the SSR and hydration tests render. */
export function RunView(props: { client: WorkflowClient }) {
  const wf = useWorkflow({ client: props.client })
  return (
    <p data-testid="run">
      {wf.status} {wf.runId ?? 'none'}
    </p>
  )
}

/** What `renderToString` makes of `RunView` over a client in its initial state (checked in use-workflow.ssr.test.tsx). */
export const runViewServerHtml = '<p data-hk="00" data-testid="run"><!--$-->idle<!--/--> <!--$-->none<!--/--></p>'
