// The client in Node without the DOM lib (SSR, scripts, tests): over an
// in-process handler, so its .d.ts must not need DOM-only types.
import { WorkflowClient, fetchWorkflowEvents, localWorkflowEvents } from '@stepstream/client'
import { approve, createWorkflowHandler, defineWorkflow, mockAgent } from '@stepstream/server'

const writer = mockAgent({ name: 'writer', text: 'A short piece about rivers.', result: () => ({ draft: 'About rivers' }) })

const article = defineWorkflow({
  name: 'article',
  agents: { writer },
  run: async function* ({ agents }) {
    const { draft } = yield* agents.writer()
    const { approved } = yield* approve({ title: 'Publish?', description: draft })
    return { article: approved ? draft : 'rejected' }
  },
})

export const inProcess = new WorkflowClient({ connection: localWorkflowEvents(createWorkflowHandler({ workflow: article })) })
export const overHttp = new WorkflowClient({ connection: fetchWorkflowEvents('http://127.0.0.1:3000/api/workflow', { credentials: 'omit' }) })
