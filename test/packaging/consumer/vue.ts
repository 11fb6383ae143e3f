// The README's Vue <script setup>, as a defineComponent tsc can check (no SFC compiler here).
import { fetchWorkflowEvents, useWorkflow } from '@stepstream/vue'
import { defineComponent, h, ref } from 'vue'
import { z } from 'zod'

export const ArticleWriter = defineComponent(() => {
  const token = ref('')
  const { status, steps, currentText, pendingApproval, output, start, approve } = useWorkflow({
    input: z.object({ topic: z.string() }),
    output: z.object({ article: z.string() }),
    connection: fetchWorkflowEvents('/api/workflow', { headers: () => ({ authorization: `Bearer ${token.value}` }) }),
    throttleMs: 50,
  })
  return () =>
    h('section', [
      h('button', { disabled: status.value === 'running', onClick: () => start({ topic: 'rivers' }) }, 'Write'),
      ...steps.value.map((step) => h('p', { key: step.stepId }, `${step.stepName}: ${step.status}`)),
      h('pre', currentText.value),
      pendingApproval.value ? h('button', { onClick: () => approve(true) }, pendingApproval.value.title) : null,
      output.value ? h('article', output.value.article) : null,
    ])
})
