// The protocol README's example: the main entry and the zod schemas subpath.
import { runStarted, stepStarted, textMessageContent, type WorkflowEvent } from '@stepstream/protocol'
import { startRequestSchema, workflowEventSchema } from '@stepstream/protocol/schemas'

const events: WorkflowEvent[] = [
  runStarted('run-1'),
  stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }),
  textMessageContent('m1', 'Hello'),
]
export const parsed = workflowEventSchema.parse(events[0])
export const type: string = parsed.type
export const start = startRequestSchema.safeParse({ input: { topic: 'rivers' } })
