/**
 * A definition that could never run is refused when it is defined, with a
 * message naming the definition and what it lacks, not later, mid-run, as a
 * step failing with "x is not a function". TypeScript rules these out; plain
 * JS (or a config built at run time) gets the same help.
 */
import { describe, expect, it } from 'vitest'
import { defineAgent, defineOrchestrator, defineWorkflow, mockAgent } from '@stepstream/server'

const body = async function* () {
  return null
}

describe('definitions', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['an agent without a name', () => defineAgent({ run: async () => 1 } as never), /^defineAgent: name must be a non-empty string/],
    ['an agent without run', () => defineAgent({ name: 'writer' } as never), /^defineAgent\("writer"\): run must be a function/],
    ['a mock agent without result', () => mockAgent({ name: 'mock' } as never), /^mockAgent\("mock"\): result must be a function/],
    ['a workflow with an empty name', () => defineWorkflow({ name: '', run: body }), /^defineWorkflow: name must be a non-empty string/],
    ['a workflow without run', () => defineWorkflow({ name: 'flow' } as never), /^defineWorkflow\("flow"\): run must be a function/],
    [
      'a workflow whose agent is not one',
      () => defineWorkflow({ name: 'flow', agents: { writer: undefined, editor: {} }, run: body } as never),
      /^defineWorkflow\("flow"\): agents\.writer is not an agent or a workflow/,
    ],
    ['an orchestrator without a router', () => defineOrchestrator({ name: 'routed', agents: {} } as never), /^defineOrchestrator\("routed"\): router must be a function/],
  ])('refuses %s when it is defined', (_, define, message) => {
    expect(define).toThrow(TypeError)
    expect(define).toThrow(message)
  })
})
