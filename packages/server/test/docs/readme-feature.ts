// Not a README example: the `feature` orchestrator the README's "Serving it"
// example serves. The README's "Orchestrators" block does not typecheck as
// written (its router reads `input.goal` with no input schema, so `input` is
// `unknown`); this is that block with the input schema it needs.
import { defineOrchestrator, defineRouter } from '@stepstream/server'
import { z } from 'zod'
import { builder, planner } from './readme-agents.js'

const agents = { planner, builder }
const input = z.object({ goal: z.string() })
const router = defineRouter({ agents, input }, ({ input, history }) =>
  history.length === 0
    ? { agent: 'planner', input: { goal: input.goal } } // checked against planner's input
    : { done: true, output: history.map((turn) => turn.agent) },
)
export const feature = defineOrchestrator({ name: 'feature', input, agents, router, maxTurns: 8 })
