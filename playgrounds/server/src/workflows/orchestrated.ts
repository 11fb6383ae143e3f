import type { ArticleOutput } from '@stepstream/playground-shared'
import { defineOrchestrator, defineRouter } from '@stepstream/server'
import type { DemoAgents } from '../agents.js'
import { TopicInput } from './input.js'

export interface OrchestratedState {
  topic: string
  /** The agents the router picked so far, and why it picked the last one. */
  route: string[]
  reason: string
}

/**
 * The orchestrator variant: no fixed sequence, a router looks at what the
 * last agent returned and picks the next one (or finishes). Here the
 * fact-checker's verdict decides whether the editor gets a turn.
 */
export function orchestratedWorkflow(agents: Pick<DemoAgents, 'researcher' | 'writer' | 'factChecker' | 'editor'>) {
  const router = defineRouter<typeof agents, { topic: string }, ArticleOutput, OrchestratedState>({ agents }, ({ input, state, history }) => {
    const { topic } = input
    const last = history.at(-1)
    const pick = (agent: keyof typeof agents & string, reason: string) => {
      state.route.push(agent)
      state.reason = reason
    }
    if (!last) {
      pick('researcher', 'Nothing is known yet: research first.')
      return { agent: 'researcher', input: { topic } }
    }
    // The newest text to hand on: the editor's if it had a turn, else the writer's.
    const draft = [...history].reverse().find((turn) => turn.agent === 'editor' || turn.agent === 'writer')
    switch (last.agent) {
      case 'researcher':
        pick('writer', 'Notes are in: draft the article.')
        return { agent: 'writer', input: { topic } }
      case 'writer':
        pick('factChecker', 'A draft exists: check its claims.')
        return { agent: 'factChecker', input: { topic, draft: last.output.body } }
      case 'factChecker':
        if (last.output.issues > 0 && draft) {
          pick('editor', `The fact-checker found ${last.output.issues} issue(s): the editor fixes them.`)
          return { agent: 'editor', input: { topic, draft: draft.output.body, revision: 0 } }
        }
        break
      case 'editor':
        break
    }
    state.reason = 'The draft is checked and edited: done.'
    const final = draft?.output ?? { title: topic, body: '' }
    return { done: true, output: { ok: true, article: { title: final.title, body: final.body, revisions: 0, url: '' } } }
  })

  return defineOrchestrator({
    name: 'orchestrated',
    input: TopicInput,
    initialize: ({ topic }): OrchestratedState => ({ topic, route: [], reason: '' }),
    agents,
    router,
  })
}
