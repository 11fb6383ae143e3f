/**
 * A run deleted (deleteRun from anywhere, or its ttl) while this process
 * still executes it, then started again under the same id (clients may
 * choose their run ids) in this same process. Each execution holds the
 * run's lease under a token of its own: the old execution's writes are
 * refused and it stops, and its letting go of "its" lease never lets go of
 * the new run's. Stores are not bound to tell the engine of a deletion
 * (onRunDeleted is optional), nor to tell it before the id is taken again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { approve, createWorkflowHandler, defineAgent, defineWorkflow, inMemoryRunStore, type InMemoryRunStore, type RunStore } from '@stepstream/server'
import { approvalIdOf, eventsOfType, gate, post, postRequest, readLog, readSse, waitUntil } from './helpers.js'

const RUN_ID = 'reused'

/** An agent that streams `<call>`, waits for the test to let its call go on, then streams ` <call>-end`. */
function talkingWorkflow() {
  const calls = [gate(), gate()]
  let call = 0
  const names = ['old', 'new']
  const talker = defineAgent({
    name: 'talker',
    run: async function* () {
      const own = call++
      yield names[own]!
      await calls[own]!.opened
      yield ` ${names[own]}-end`
    },
  })
  const workflow = defineWorkflow({
    name: 'talking',
    agents: { talker },
    run: async function* ({ agents }) {
      const said = yield* agents.talker()
      yield* approve({ title: 'Keep it?' })
      return said
    },
  })
  return { workflow, letOldGoOn: () => calls[0]!.open(), letNewGoOn: () => calls[1]!.open() }
}

async function texts(store: RunStore): Promise<string[]> {
  return eventsOfType(await readLog(store, RUN_ID), 'TEXT_MESSAGE_CONTENT').map((event) => event.delta)
}

/** `memory` as a store that counts lease releases and tells of deletions as `tellDeletions` says (or never). */
function storeOver(memory: InMemoryRunStore, tellDeletions: 'never' | 'when the id is created again') {
  const counts = { releases: 0 }
  const store = Object.create(memory) as RunStore
  const listeners = new Set<(runId: string) => void>()
  const deleted = new Set<string>()
  memory.onRunDeleted!((runId) => deleted.add(runId))
  Object.assign(store, {
    releaseLease: (runId: string, owner: string) => {
      counts.releases += 1
      return memory.releaseLease(runId, owner)
    },
    // Like a store shared by processes, which learns that a run it followed is gone when it sees the id created anew.
    createRun: async (record: Parameters<RunStore['createRun']>[0]) => {
      const created = await memory.createRun(record)
      if (created && deleted.delete(record.runId)) for (const listener of listeners) listener(record.runId)
      return created
    },
    onRunDeleted:
      tellDeletions === 'never'
        ? undefined
        : (listener: (runId: string) => void) => {
            listeners.add(listener)
            return () => listeners.delete(listener)
          },
  })
  return { store, counts }
}

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

describe('a run deleted while this process executes it, then started again under its id here', () => {
  it("keeps the old execution's events out of the new run, which runs to its end (a store that never tells of deletions)", async () => {
    const { workflow, letOldGoOn, letNewGoOn } = talkingWorkflow()
    const memory = inMemoryRunStore()
    const { store, counts } = storeOver(memory, 'never')
    const handler = createWorkflowHandler({ workflow, runStore: store })

    const first = await handler(postRequest({ runId: RUN_ID, input: null }))
    cleanups.push(() => first.body?.cancel())
    await waitUntil(async () => (await texts(memory)).includes('old'), 'the first run to stream')
    await memory.deleteRun(RUN_ID)

    const second = await handler(postRequest({ runId: RUN_ID, input: null }))
    await waitUntil(async () => (await texts(memory)).includes('new'), 'the second run to stream')
    // The old execution goes on (its agent never heard of the deletion) while the new run holds the lease.
    const releasesBefore = counts.releases
    letOldGoOn()
    await waitUntil(() => counts.releases > releasesBefore, 'the old execution to let go of the run')
    letNewGoOn()

    const paused = await readSse(second)
    expect(eventsOfType(paused.events, 'TEXT_MESSAGE_CONTENT').map((event) => event.delta)).toEqual(['new', ' new-end'])
    expect(paused.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
    const approved = await post(handler, { runId: RUN_ID, approval: { approvalId: approvalIdOf(paused), approved: true } })
    expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'new new-end' })

    const log = await readLog(memory, RUN_ID)
    expect(await texts(memory)).toEqual(['new', ' new-end'])
    expect(eventsOfType(log, 'RUN_STARTED')).toHaveLength(2)
    expect(eventsOfType(log, 'TEXT_MESSAGE_END')).toHaveLength(1)
    expect(eventsOfType(log, 'RUN_ERROR')).toEqual([])
    expect((await memory.getRun(RUN_ID))?.status).toBe('finished')
  })

  it('lets the new run keep its lease when the deletion is told only once the id is taken again', async () => {
    const { workflow, letOldGoOn, letNewGoOn } = talkingWorkflow()
    const memory = inMemoryRunStore()
    const { store } = storeOver(memory, 'when the id is created again')
    const handler = createWorkflowHandler({ workflow, runStore: store })

    const first = await handler(postRequest({ runId: RUN_ID, input: null }))
    cleanups.push(() => first.body?.cancel(), letOldGoOn)
    await waitUntil(async () => (await texts(memory)).includes('old'), 'the first run to stream')
    await memory.deleteRun(RUN_ID)

    // The engine hears of the deletion between taking the new run's lease and launching it, and drops the old execution then.
    letNewGoOn()
    const second = await handler(postRequest({ runId: RUN_ID, input: null }))
    expect(second.status).toBe(200)
    const paused = await readSse(second)
    expect(eventsOfType(paused.events, 'TEXT_MESSAGE_CONTENT').map((event) => event.delta)).toEqual(['new', ' new-end'])
    expect(paused.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } })
    const approved = await post(handler, { runId: RUN_ID, approval: { approvalId: approvalIdOf(paused), approved: true } })
    expect(approved.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'new new-end' })
    expect(eventsOfType(await readLog(memory, RUN_ID), 'RUN_ERROR')).toEqual([])
  })
})
