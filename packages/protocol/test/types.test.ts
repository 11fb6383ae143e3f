/**
 * The TypeScript types against PROTOCOL.md. Checked by the package's
 * typecheck (`tsc` covers test/): a `@ts-expect-error` that no longer
 * errors fails it. Each value is also run past the zod schema, so the two
 * descriptions of the protocol cannot drift apart.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { StepStartedEvent, StepType, WorkflowEvent } from '@stepstream/protocol'
import { workflowEventSchema } from '@stepstream/protocol/schemas'

const valid = (event: WorkflowEvent) => workflowEventSchema.safeParse(event).success

describe('event types', () => {
  it("STEP_STARTED's metadata.stepType is one of PROTOCOL's five", () => {
    expectTypeOf<NonNullable<NonNullable<StepStartedEvent['metadata']>['stepType']>>().toEqualTypeOf<StepType>()
    expectTypeOf<StepType>().toEqualTypeOf<'agent' | 'approval' | 'nested-workflow' | 'step' | 'signal'>()
    // @ts-expect-error: 'tool' is no step type (PROTOCOL §2), and the schema refuses it
    const wrong: StepStartedEvent = { type: 'STEP_STARTED', stepName: 'w', timestamp: 1, metadata: { stepId: 's1', stepType: 'tool' } }
    expect(valid(wrong)).toBe(false)
  })
})
