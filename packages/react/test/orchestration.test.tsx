import { createWorkflowHandler, defineOrchestrator, defineRouter, inMemoryRunStore, mockAgent } from '@stepstream/server'
import { localWorkflowEvents, useOrchestration, type WorkflowConnection } from '@stepstream/react'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'

afterEach(cleanup)

const FeatureInput = z.object({ goal: z.string() })
const FeatureOutput = z.object({ built: z.array(z.string()) })

const planner = mockAgent({
  name: 'planner',
  input: FeatureInput,
  output: z.object({ tasks: z.array(z.string()) }),
  text: ({ goal }) => `Planning ${goal}`,
  result: ({ goal }) => ({ tasks: [`spec ${goal}`, `build ${goal}`] }),
})
const builder = mockAgent({
  name: 'builder',
  input: z.object({ task: z.string() }),
  output: z.object({ done: z.string() }),
  text: ({ task }) => `Working on ${task}`,
  result: ({ task }) => ({ done: task }),
})
const agents = { planner, builder }

/** Plans once, then builds each planned task, then finishes. */
const router = defineRouter({ agents, input: FeatureInput, output: FeatureOutput }, ({ input, history }) => {
  if (history.length === 0) return { agent: 'planner', input: { goal: input.goal } }
  const plan = history[0]!
  const tasks = plan.agent === 'planner' ? plan.output.tasks : []
  const built = history.slice(1).flatMap((turn) => (turn.agent === 'builder' ? [turn.output.done] : []))
  const next = tasks[built.length]
  return next === undefined ? { done: true, output: { built } } : { agent: 'builder', input: { task: next } }
})

const featureOrchestrator = defineOrchestrator({ name: 'feature', input: FeatureInput, output: FeatureOutput, agents, router })

function FeatureOrchestrationDemo({ connection }: { connection: WorkflowConnection }) {
  const orchestration = useOrchestration({ input: FeatureInput, output: FeatureOutput, connection })
  return (
    <section>
      <button type="button" disabled={orchestration.status === 'running'} onClick={() => orchestration.start({ goal: 'login' })}>
        Start orchestration
      </button>
      <ol>
        {orchestration.steps.map((step) => (
          <li key={step.stepId}>{`${step.stepName} ${step.status}`}</li>
        ))}
      </ol>
      {orchestration.output ? <p>{`Built: ${orchestration.output.built.join(', ')}`}</p> : null}
    </section>
  )
}

describe('useOrchestration against a router-driven orchestrator', () => {
  it('shows each turn the router picked and the final output', async () => {
    const handler = createWorkflowHandler({ workflow: featureOrchestrator, runStore: inMemoryRunStore() })
    render(<FeatureOrchestrationDemo connection={localWorkflowEvents(handler)} />)

    fireEvent.click(screen.getByRole('button', { name: 'Start orchestration' }))

    await screen.findByText('Built: spec login, build login')
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['planner finished', 'builder finished', 'builder finished'])
    expect(screen.getByRole('button', { name: 'Start orchestration' })).toHaveProperty('disabled', false)
  })
})
