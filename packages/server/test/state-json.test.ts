/**
 * Workflow state is streamed (snapshots, deltas) and journalled, so it must
 * stay JSON for the whole run, not only at the start: a body that puts in
 * something JSON cannot carry ends the run with the code a bad initial state
 * gets, and every reader still gets valid SSE up to that end.
 */
import { describe, expect, it } from 'vitest'
import { EventSchema } from '@ag-ui/core/schemas'
import type { IndexedEvent } from '@stepstream/protocol'
import { approve, createWorkflowHandler, defineAgent, defineWorkflow, inMemoryRunStore } from '@stepstream/server'
import { approvalIdOf, gate, get, post, postRequest, readSse, runIdOf, types, waitForStatus, waitUntil } from './helpers.js'

type State = Record<string, unknown>

const notJson: Array<[string, (state: State) => void]> = [
  ['a BigInt', (state) => void (state.count = 1n)],
  ['a cycle', (state) => void (state.self = state)],
  ['a function', (state) => void (state.callback = () => 'hi')],
  ['a function inside an array', (state) => void (state.list = [1, () => 'hi'])],
  // JSON.stringify writes both as {}: every entry would be lost without a word.
  ['a Map', (state) => void (state.seen = new Map([['a', 1]]))],
  ['a Set', (state) => void (state.tags = new Set(['a']))],
]

/** A workflow that puts `spoil` into its state while a step is held, after an approval first when `afterApproval`. */
function spoilingWorkflow(spoil: (state: State) => void, afterApproval: boolean) {
  const hold = gate()
  const held = defineAgent({ name: 'held', run: () => hold.opened.then(() => 'done') })
  const workflow = defineWorkflow({
    name: 'spoiling',
    initialize: (): State => ({ phase: 'start' }),
    agents: { held },
    run: async function* ({ agents, state }) {
      if (afterApproval) yield* approve({ title: 'Go on?' })
      state.phase = 'held'
      yield* agents.held()
      spoil(state)
      // The yield boundary where the change would go out as a STATE_DELTA.
      yield* agents.held()
      return 'finished anyway'
    },
  })
  return { workflow, release: () => hold.open() }
}

function expectValidEvents(events: IndexedEvent[]): void {
  expect(events.map(({ index }) => index)).toEqual(events.map((_, position) => events[0]!.index + position))
  for (const { event } of events) expect(EventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true)
}

describe('state that stops being JSON mid-run', () => {
  for (const afterApproval of [false, true]) {
    const segment = afterApproval ? 'a resumed segment' : 'the first segment'
    it.each(notJson)(`ends ${segment} with RUN_ERROR invalid_state when the body puts %s in the state`, async (_, spoil) => {
      const store = inMemoryRunStore()
      const { workflow, release } = spoilingWorkflow(spoil, afterApproval)
      const handler = createWorkflowHandler({ workflow, runStore: store })
      let runId: string
      let request: Promise<Response>
      if (afterApproval) {
        const first = await post(handler, { input: null })
        runId = runIdOf(first)
        request = handler(postRequest({ runId, approval: { approvalId: approvalIdOf(first), approved: true } }))
      } else {
        request = handler(postRequest({ input: null }))
        runId = (await request).headers.get('x-workflow-run-id')!
      }
      const response = await request
      // A second reader attached while the run is held in its step.
      await waitUntil(async () => types(await store.read(runId, 0)).includes('STATE_DELTA'), 'the run to reach its held step')
      const attached = get(handler, { runId, startIndex: 0 })
      release()
      const [own, live] = await Promise.all([readSse(response), attached])

      for (const seen of [own, live]) {
        expect(seen.status).toBe(200)
        expectValidEvents(seen.events)
        expect(seen.events.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'invalid_state', message: expect.stringContaining('not JSON') })
      }
      // The step that ended before the bad change finished; nothing is left open and no delta carried it.
      expect(types(own.events).slice(-3)).toEqual(['STEP_STARTED', 'STEP_FINISHED', 'RUN_ERROR'])
      await waitForStatus(store, runId, 'failed')
      const replayed = await get(handler, { runId, startIndex: 0 })
      expectValidEvents(replayed.events)
      expect(replayed.events.at(-1)).toEqual(own.events.at(-1))
    })
  }
})

describe('state that is not JSON from the start', () => {
  it('refuses a function in the initial state with the same invalid_state, instead of streaming a state without it', async () => {
    const workflow = defineWorkflow({
      name: 'with-callback',
      initialize: (): State => ({ phase: 'start', callback: () => 'hi' }),
      run: async function* () {
        return 'never'
      },
    })
    const store = inMemoryRunStore()
    const result = await post(createWorkflowHandler({ workflow, runStore: store }), { input: null })
    expect(types(result.events)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'RUN_ERROR'])
    expect(result.events.at(-1)!.event).toMatchObject({ code: 'invalid_state', message: expect.stringContaining('"callback"') })
    await waitForStatus(store, runIdOf(result), 'failed')
  })
})
