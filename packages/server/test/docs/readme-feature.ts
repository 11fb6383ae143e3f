import { defineOrchestrator, defineRouter } from '@stepstream/server'
import { z } from 'zod'

const agents = { planner, builder }
const input = z.object({ goal: z.string() })
const router = defineRouter({ agents, input }, ({ input, history }) =>
  history.length === 0
    ? { agent: 'planner', input: { goal: input.goal } } // checked against planner's input
    : { done: true, output: history.map((turn) => turn.agent) },
)
export const feature = defineOrchestrator({ name: 'feature', input, agents, router, maxTurns: 8 })

// ---- Not in the README: the agents the example takes from the page around it.
import { builder, planner } from './readme-agents.js'
