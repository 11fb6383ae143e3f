// Once its component is gone, a client the adapter created calls none of the
// app's callbacks (FollowedClient.mute): not the state change letting it go
// publishes, not a stopOnUnmount abort failing, not a finish still on its way.
// The client itself still does what letting it go sets off; only the app,
// which is gone, no longer hears of it.
import type { WorkflowConnection } from '@stepstream/client'
import { waitFor } from '@testing-library/dom'
import { expect } from 'vitest'
import { heldOutput } from '../fixtures/held-output.js'
import type { HarnessCallbacks } from './harness.js'
import type { Scenario } from './scenarios.js'
import { shows } from './view.js'
import { articleOutput, halfDraft, startServer } from './workflows.js'

/** Every callback the app hands the adapter, recording which ones are called before and after its component is gone. */
function watchCallbacks() {
  const before: string[] = []
  const late: string[] = []
  let gone = false
  const record = (name: keyof HarnessCallbacks) => () => void (gone ? late : before).push(name)
  // Required: a callback the client gains is watched too, or this does not compile.
  const callbacks: Required<HarnessCallbacks> = {
    onEvent: record('onEvent'),
    onCustomEvent: record('onCustomEvent'),
    onStateChange: record('onStateChange'),
    onFinish: record('onFinish'),
    onError: record('onError'),
  }
  return {
    callbacks,
    /** Called while the component was mounted. */
    before,
    /** Called once it was gone. */
    late,
    /** Marks the component gone: call just before unmounting it. */
    gone: () => void (gone = true),
  }
}

/** The connection, except that an abort fails as it would offline; with how many aborts were tried. */
function abortFails(connection: WorkflowConnection) {
  let aborts = 0
  const offline: WorkflowConnection = {
    send: (request) => (request.action === 'abort' ? (aborts++, Promise.reject(new Error('offline'))) : connection.send(request)),
  }
  return { connection: offline, aborts: () => aborts }
}

/** Lets whatever the unmount set off (an abort and its answer, a check let pass) run its course. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

export const unmountScenarios: Scenario[] = [
  {
    name: 'after unmount: with stopOnUnmount, neither the stop nor its abort failing (offline) calls the app’s callbacks',
    async run(harness) {
      const server = startServer({ gated: true })
      const offline = abortFails(server.connection)
      const watch = watchCallbacks()
      const mounted = await harness.mount({ connection: offline.connection, workflow: 'article', stopOnUnmount: true, callbacks: watch.callbacks })
      const client = mounted.client
      void mounted.actions.start({ topic: 'Leave offline' })
      await shows({ status: 'running', text: halfDraft })
      // They reach it while it is mounted (under React, StrictMode's simulated unmount did not silence them).
      expect(watch.before).toContain('onStateChange')

      watch.gone()
      await mounted.unmount()
      await waitFor(() => expect(offline.aborts()).toBe(1))
      await settle()
      expect(client.state.status).toBe('aborted')
      expect(watch.late).toEqual([])
    },
  },
  {
    name: 'after unmount: a finish whose output check was still running calls neither onFinish nor onStateChange',
    async run(harness) {
      const server = startServer()
      const output = heldOutput(articleOutput)
      const watch = watchCallbacks()
      const mounted = await harness.mount({ connection: server.connection, workflow: 'article', validate: true, output: output.schema, callbacks: watch.callbacks })
      await mounted.actions.start({ topic: 'Held' })
      await shows({ status: 'paused' })
      await mounted.actions.approve(true)
      await shows({ status: 'finished' })
      // The run has finished; its onFinish waits on the check.
      expect(watch.before).not.toContain('onFinish')

      watch.gone()
      await mounted.unmount()
      output.pass()
      await settle()
      expect(watch.late).toEqual([])
    },
  },
]
