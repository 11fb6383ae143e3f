import { fetchWorkflowEvents, type WorkflowConnection } from '@stepstream/client'

/** Where every playground finds the demo server: same origin (Vite proxies it in dev). */
export const workflowEndpoint = '/api/workflow'

/** The header that asks the playground server to cut this request's stream at a random point. */
export const flakyHeader = 'x-stepstream-flaky'

/**
 * The HTTP connection to the demo server. `isFlaky` is read per request, so
 * flipping the switch affects the very next reconnect without a new client.
 */
export function playgroundConnection(isFlaky: () => boolean): WorkflowConnection {
  return fetchWorkflowEvents(workflowEndpoint, {
    headers: (): Record<string, string> => (isFlaky() ? { [flakyHeader]: '1' } : {}),
  })
}
