/**
 * `inMemoryRunStore`'s options are read once, and often come from the
 * environment (`Number(process.env.RUN_TTL)`, NaN when it is unset). A value
 * that means no length of time is refused when the store is made, as
 * `createWorkflowHandler` refuses its own, instead of a store that keeps
 * every run for ever (ttl NaN), renews each lease every millisecond
 * (leaseTtl NaN or Infinity), or answers every start 500 (leaseTtl 0).
 */
import { describe, expect, it } from 'vitest'
import { createWorkflowHandler, defineWorkflow, inMemoryRunStore } from '@stepstream/server'
import { post } from './helpers.js'

const quick = defineWorkflow({
  name: 'quick',
  run: async function* () {
    return 'done'
  },
})

describe('inMemoryRunStore options', () => {
  it.each([NaN, -1, -Infinity])('refuses ttl %s with a TypeError', (ttl) => {
    expect(() => inMemoryRunStore({ ttl })).toThrow(new TypeError(`inMemoryRunStore: ttl must be a number of milliseconds (Infinity keeps runs until deleteRun), not ${ttl}`))
  })

  it.each([NaN, 0, -5, Infinity])('refuses leaseTtl %s with a TypeError', (leaseTtl) => {
    expect(() => inMemoryRunStore({ leaseTtl })).toThrow(TypeError)
  })

  it.each([
    ['ttl 0', { ttl: 0 }],
    ['ttl Infinity', { ttl: Infinity }],
    ['a short leaseTtl', { leaseTtl: 50 }],
  ])('takes %s and serves a run with it', async (_what, options) => {
    const { events } = await post(createWorkflowHandler({ workflow: quick, runStore: inMemoryRunStore(options) }), { input: null })
    expect(events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: 'done' })
  })
})
