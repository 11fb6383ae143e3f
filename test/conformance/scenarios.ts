import { WorkflowClient } from '@stepstream/client'
import { waitFor } from '@testing-library/dom'
import { expect } from 'vitest'
import type { Harness } from './harness.js'
import { shows, view } from './view.js'
import { draftText, halfDraft, startServer, type TestServer } from './workflows.js'

const aborts = (server: TestServer) => server.requests.filter((request) => request.body?.abort === true).length

/** A second client, as another tab would be: what does the server say about this run? */
async function serverSideStatus(server: TestServer, runId: string) {
  const observer = new WorkflowClient({ connection: server.connection, body: { workflow: 'article' } })
  return (await observer.attach(runId)).status
}

export interface Scenario {
  name: string
  /**
   * Gives the mounted component new options (`Mounted.update`): reported as
   * not applicable, with its reason, to a harness with `fixedOptions`.
   */
  changesOptions?: true
  run(harness: Harness): Promise<void>
}

/** The one table every adapter must pass. */
export const scenarios: Scenario[] = [
  {
    name: 'start → stream → pause → approve → finish',
    async run(harness) {
      const server = startServer({ gated: true })
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'article' })
      expect(view()).toMatchObject({ status: 'idle', connection: 'idle', text: '', steps: '', output: '' })
      const started = actions.start({ topic: 'Typed UIs' })
      // The writer is held halfway: what is on screen is the stream so far.
      await shows({ status: 'running', connection: 'open', steps: 'writer:running', text: halfDraft })
      expect(view().runId).not.toBe('')
      server.openGate()
      await started
      // The approval is a step of its own (PROTOCOL: stepType approval), running for as long as the run waits.
      await shows({ status: 'paused', connection: 'closed', steps: 'writer:finished,Publish "Typed UIs"?:running', text: draftText('draft'), approval: 'Publish "Typed UIs"?' })
      await actions.approve(true)
      await shows({ status: 'finished', approval: '', steps: 'writer:finished,Publish "Typed UIs"?:finished', output: 'article: Typed UIs, first draft', error: '' })
    },
  },
  {
    name: 'request changes with feedback, then approve the revision',
    async run(harness) {
      const server = startServer()
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'article' })
      await actions.start({ topic: 'Feedback' })
      await shows({ status: 'paused', approval: 'Publish "Feedback"?' })
      await actions.approve(false, 'Shorter, please.')
      // The first approval step is finished by the decision; the revision's own approval now waits.
      await shows({ status: 'paused', steps: 'writer:finished,Publish "Feedback"?:finished,writer:finished,Publish "Feedback"?:running', text: draftText('revised') })
      expect(server.requests.at(-1)?.body).toMatchObject({ approval: { approved: false, feedback: 'Shorter, please.' } })
      await actions.approve(true)
      await shows({ status: 'finished', output: 'article: Feedback, revised: Shorter, please.' })
    },
  },
  {
    name: 'reject: the output narrows to its failure branch',
    async run(harness) {
      const server = startServer()
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'article' })
      await actions.start({ topic: 'Rejected' })
      await shows({ status: 'paused' })
      await actions.approve(false)
      await shows({ status: 'finished', output: 'rejected: rejected' })
    },
  },
  {
    name: 'signal: a pending signal, answered with its payload',
    async run(harness) {
      const server = startServer()
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'budget' })
      await actions.start({ topic: 'Signals' })
      await shows({ status: 'paused', signal: 'budget', approval: '' })
      await actions.signal('budget', { words: 300 })
      await shows({ status: 'finished', signal: '', output: 'article: Signals in 300 words' })
    },
  },
  {
    name: 'stop: aborts the run on the server',
    async run(harness) {
      const server = startServer({ gated: true })
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'article' })
      void actions.start({ topic: 'Stop' })
      await shows({ status: 'running', text: halfDraft })
      await actions.stop()
      await shows({ status: 'aborted', connection: 'closed' })
      expect(aborts(server)).toBe(1)
      expect(await serverSideStatus(server, view().runId)).toBe('aborted')
    },
  },
  {
    name: 'disconnect, then resume: every event exactly once',
    async run(harness) {
      const server = startServer({ gated: true })
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'article' })
      void actions.start({ topic: 'Resume' })
      await shows({ status: 'running', text: halfDraft })
      actions.disconnect()
      await shows({ status: 'running', connection: 'closed', text: halfDraft })
      server.openGate()
      await actions.resume()
      await shows({ status: 'paused', connection: 'closed', text: draftText('draft'), steps: 'writer:finished,Publish "Resume"?:running' })
      expect(aborts(server)).toBe(0)
    },
  },
  {
    name: 'server error: a failing step ends the run in error',
    async run(harness) {
      const server = startServer()
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'broken' })
      await actions.start({ topic: 'Broken' })
      await shows({ status: 'error', error: 'step_failed', steps: 'writer:failed', output: '' })
    },
  },
  {
    name: 'server error: attaching to an unknown run is refused',
    async run(harness) {
      const server = startServer()
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'article' })
      await actions.attach('no-such-run')
      await shows({ status: 'error', error: 'run_not_found', connection: 'closed' })
    },
  },
  {
    name: 'unmount mid-stream leaves the run going; after a reload, attach by id and finish it',
    async run(harness) {
      const server = startServer({ gated: true })
      const first = await harness.mount({ connection: server.connection, workflow: 'article' })
      void first.actions.start({ topic: 'Reload' })
      await shows({ status: 'running', text: halfDraft })
      const runId = view().runId
      await first.unmount()
      server.openGate()

      // The reloaded page: a new component, a new client, only the run id kept.
      const second = await harness.mount({ connection: server.connection, workflow: 'article' })
      expect(view()).toMatchObject({ status: 'idle', runId: '' })
      await second.actions.attach(runId)
      await shows({ status: 'paused', runId, text: draftText('draft'), approval: 'Publish "Reload"?' })
      await second.actions.approve(true)
      await shows({ status: 'finished', output: 'article: Reload, first draft' })
      expect(aborts(server)).toBe(0)
    },
  },
  {
    name: 'stopOnUnmount: unmounting aborts the run on the server',
    async run(harness) {
      const server = startServer({ gated: true })
      const { actions, unmount } = await harness.mount({ connection: server.connection, workflow: 'article', stopOnUnmount: true })
      void actions.start({ topic: 'Leave' })
      await shows({ status: 'running', text: halfDraft })
      const runId = view().runId
      await unmount()
      await waitFor(() => expect(aborts(server)).toBe(1))
      expect(await serverSideStatus(server, runId)).toBe('aborted')
    },
  },
  {
    name: 'schema-typed output: with validate, an output that breaks its schema is an error',
    async run(harness) {
      const server = startServer()
      const { actions } = await harness.mount({ connection: server.connection, workflow: 'liar', validate: true })
      await actions.start({ topic: 'Lies' })
      await shows({ status: 'error', error: 'invalid_output' })
    },
  },
]
