// Not a README example: the agents the server README's orchestrator leaves to the app.
import { mockAgent } from '@stepstream/server'
import { z } from 'zod'

export const planner = mockAgent({ name: 'planner', input: z.object({ goal: z.string() }), text: 'A plan.', result: ({ goal }) => ({ plan: `Plan for ${goal}` }) })
export const builder = mockAgent({ name: 'builder', input: z.object({ plan: z.string() }), text: 'Built.', result: () => ({ built: true }) })
