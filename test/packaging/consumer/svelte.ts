// The README's Svelte store as a component script uses it ($workflow is
// subscribe()), and the runes form; a .ts file so tsc checks it without svelte-check.
import { createWorkflow, fetchWorkflowEvents, useWorkflow } from '@stepstream/svelte'
import { get } from 'svelte/store'
import { z } from 'zod'

const workflow = useWorkflow({
  input: z.object({ topic: z.string() }),
  output: z.object({ article: z.string() }),
  connection: fetchWorkflowEvents('/api/workflow'),
  throttleMs: 50,
})

export const unsubscribe = workflow.subscribe(($workflow) => {
  const titles: string[] = $workflow.steps.map((step) => `${step.stepName}: ${step.status}`)
  const article: string | undefined = $workflow.output?.article
  return [titles, article, $workflow.pendingApproval?.title]
})

export async function write(): Promise<void> {
  await workflow.start({ topic: 'rivers' })
  if (get(workflow).pendingApproval) await workflow.approve(true)
}

export function runes(runKey: string) {
  const runed = createWorkflow(() => ({ id: runKey, output: z.object({ article: z.string() }), connection: fetchWorkflowEvents('/api/workflow') }))
  const article: string | undefined = runed.output?.article
  return [runed.status, article]
}
