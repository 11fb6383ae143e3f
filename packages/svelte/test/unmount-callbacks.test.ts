// What a component's own client does after it is destroyed is in the
// conformance table (test/conformance/unmount-scenarios.ts), for both Svelte
// forms. Here, what only Svelte has: a store made outside any component.
import { expect, it } from 'vitest'
import { useWorkflow } from '@stepstream/svelte'
import { articleInput, articleServer, until } from '../../../test/fixtures/article-workflow.js'
import { heldOutput } from '../../../test/fixtures/held-output.js'

it('a store made outside any component is the module’s for good: after its last subscriber left, a finish already on its way still reaches onFinish', async () => {
  const output = heldOutput()
  const finished: unknown[] = []
  const wf = useWorkflow({ connection: articleServer().connection, input: articleInput, output: output.schema, validate: true, onFinish: (value) => void finished.push(value) })
  const off = wf.subscribe(() => {})
  await wf.start({ topic: 'module' })
  await wf.approve(true)
  off()
  await new Promise((resolve) => setTimeout(resolve, 0))
  output.pass()
  await until(() => finished.length > 0, 'onFinish')
  expect(finished).toEqual([{ ok: true, article: 'An article about module' }])
})
