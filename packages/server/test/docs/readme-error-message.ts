import { createWorkflowHandler, type ErrorMessageContext } from '@stepstream/server'

// Used in every environment: log the real error with your logger, send your own words.
function errorMessage(error: unknown, { runId, workflow, stepName }: ErrorMessageContext): string {
  logger.error({ err: error, runId, workflow, stepName }, 'workflow error')
  return stepName ? `"${stepName}" is unavailable, please try again` : 'Something went wrong'
}

const handler = createWorkflowHandler({ workflow: article, errorMessage })

// ---- Not in the README: what the example leaves to the app.
import { article } from './readme-authoring.js'

/** What the example's logger was given. */
export const logged: unknown[][] = []
const logger = { error: (...args: unknown[]) => void logged.push(args) }

export { errorMessage, handler }
