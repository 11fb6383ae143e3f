import { createWorkflowHandler, defineWorkflow, inMemoryRunStore, sleep } from '@stepstream/server'
import { localWorkflowEvents } from '@stepstream/react'
import { recordingHandler } from './recording-handler.js'

/**
 * A workflow that sleeps `ms` and then finishes with 'awake', on the
 * reference server in process: a run paused on a wait that only its deadline
 * ends, which the client follows on by looking again at the deadline.
 */
export function serveSleeper(ms: number) {
  const workflow = defineWorkflow({
    name: 'sleeper',
    run: async function* () {
      yield* sleep(ms)
      return 'awake'
    },
  })
  const recording = recordingHandler(createWorkflowHandler({ workflow, runStore: inMemoryRunStore() }))
  return { ...recording, connection: localWorkflowEvents(recording.handler) }
}
