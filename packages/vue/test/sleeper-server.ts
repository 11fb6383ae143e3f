import { localWorkflowEvents, type WorkflowConnection } from '@stepstream/client'
import { createWorkflowHandler, defineWorkflow, sleep } from '@stepstream/server'

/**
 * A workflow that sleeps `ms` and then finishes with 'awake', served in
 * process: a run paused on a wait only its deadline ends, which a client
 * follows on by looking again at the deadline.
 */
export function sleeperServer(ms: number): { connection: WorkflowConnection } {
  const workflow = defineWorkflow({
    name: 'sleeper',
    run: async function* () {
      yield* sleep(ms)
      return 'awake'
    },
  })
  return { connection: localWorkflowEvents(createWorkflowHandler({ workflow })) }
}
