/**
 * `waitForSignal(name, { meta })` puts `meta` on the wire (`run.paused`, the
 * interrupt) and in the run's record. It goes out as the JSON it is, the same
 * to every reader (an SSE client, a `runWorkflow` host, a rebuilt run); a
 * meta JSON cannot hold is refused where the body asks for the wait, which
 * it can catch, rather than failing the pause half-written.
 */
import { describe, expect, it } from 'vitest'
import { defineWorkflow, inMemoryRunStore, runWorkflow, waitForSignal, type Workflow } from '@stepstream/server'
import type { IndexedEvent } from '@stepstream/protocol'

async function eventsOf(workflow: Workflow): Promise<IndexedEvent[]> {
  const events: IndexedEvent[] = []
  for await (const event of runWorkflow({ workflow, runStore: inMemoryRunStore(), input: null })) events.push(event)
  return events
}

describe('a signal wait with meta', () => {
  it('sends meta as JSON: a Date is its ISO string, as HTTP clients read it', async () => {
    const since = new Date(0)
    const workflow = defineWorkflow({
      name: 'dated',
      run: async function* () {
        return yield* waitForSignal('paid', { meta: { since, note: undefined } })
      },
    })
    const events = await eventsOf(workflow)
    const paused = events.find(({ event }) => event.type === 'CUSTOM' && event.name === 'run.paused')!
    expect(paused.event).toMatchObject({ value: { meta: { since: since.toISOString() } } })
    expect(JSON.parse(JSON.stringify(events))).toEqual(events)
  })

  it.each([
    ['a BigInt', { amount: 10n }],
    ['a cycle', (() => {
      const cycle: Record<string, unknown> = {}
      cycle.self = cycle
      return cycle
    })()],
  ])('refuses meta holding %s at the call, where the body can catch it', async (_, meta) => {
    const workflow = defineWorkflow({
      name: 'unsendable',
      run: async function* () {
        try {
          return yield* waitForSignal('paid', { meta })
        } catch (error) {
          return { refused: (error as Error).message }
        }
      },
    })
    const events = await eventsOf(workflow)
    expect(events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { refused: expect.stringMatching(/^waitForSignal\("paid"\): meta/) } })
  })
})
