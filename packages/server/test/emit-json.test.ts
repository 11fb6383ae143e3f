/**
 * What `emit` sends goes on the wire as JSON, like the state: a value JSON
 * would silently lose (a Map or Set as `{}`) or cannot hold at all (a
 * function, a symbol) is refused where the body or agent can still catch
 * it, with a message that says which call and why.
 */
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, defineAgent, defineWorkflow } from '@stepstream/server'
import { eventsOfType, post } from './helpers.js'

/** Runs a body that emits `value` and returns what its emit threw (or 'sent'). */
async function emitFromBody(value: unknown) {
  const workflow = defineWorkflow({
    name: 'emits',
    run: async function* ({ emit }) {
      try {
        emit('thing', value)
        return 'sent'
      } catch (error) {
        return error instanceof TypeError ? `TypeError: ${error.message}` : `other: ${String(error)}`
      }
    },
  })
  const { events } = await post(createWorkflowHandler({ workflow }), { input: null })
  const finished = eventsOfType(events, 'RUN_FINISHED')[0]
  return { custom: eventsOfType(events, 'CUSTOM'), result: finished?.result }
}

describe('emit', () => {
  it.each([
    ['a function', () => 1, 'it is a function'],
    ['a symbol', Symbol('s'), 'it is a symbol'],
    ['a Map', new Map([['key', 1]]), 'it is a Map'],
    ['a Set inside an object', { tags: new Set(['a']) }, 'it holds a Set under "tags"'],
  ])('refuses %s with a TypeError naming the call and why, sending nothing', async (_what, value, why) => {
    const { custom, result } = await emitFromBody(value)
    expect(result).toBe(`TypeError: emit("thing", value): value must be JSON: ${why}`)
    expect(custom).toEqual([])
  })

  it('sends undefined as null and a Date as its ISO string, as before', async () => {
    expect((await emitFromBody(undefined)).custom.map((event) => event.value)).toEqual([null])
    expect((await emitFromBody(new Date(0))).custom.map((event) => event.value)).toEqual(['1970-01-01T00:00:00.000Z'])
  })

  it("fails an agent's step for a CUSTOM chunk JSON would lose, instead of streaming {}", async () => {
    const streaming = defineAgent({
      name: 'streaming',
      run: async function* () {
        yield { type: 'CUSTOM' as const, name: 'progress', value: new Map([['done', 1]]) }
      },
    })
    const workflow = defineWorkflow({
      name: 'custom-chunks',
      agents: { streaming },
      run: async function* ({ agents }) {
        return yield* agents.streaming()
      },
    })
    const { events } = await post(createWorkflowHandler({ workflow }), { input: null })
    expect(eventsOfType(events, 'CUSTOM')).toEqual([])
    expect(eventsOfType(events, 'STEP_FINISHED')[0]!.metadata!.error).toEqual({ name: 'TypeError', message: 'emit("progress", value): value must be JSON: it is a Map' })
  })
})
