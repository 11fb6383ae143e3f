import { demoAgents } from '../agents.js'
import { articleWorkflow } from './article.js'
import { failingWorkflow } from './failing.js'
import { newsletterWorkflow } from './newsletter.js'
import { orchestratedWorkflow } from './orchestrated.js'
import { scheduledWorkflow } from './scheduled.js'

/** The served workflows, keyed by the `workflow` name a request sends (see playground-shared's `workflows`). */
export function demoWorkflows(paceMs: number) {
  const agents = demoAgents(paceMs)
  return {
    article: articleWorkflow(agents),
    orchestrated: orchestratedWorkflow(agents),
    newsletter: newsletterWorkflow(agents),
    scheduled: scheduledWorkflow(agents),
    failing: failingWorkflow(agents),
  }
}
