import { runStarted, stepStarted, textMessageContent, type WorkflowEvent } from '@stepstream/protocol'
import { workflowEventSchema, startRequestSchema } from '@stepstream/protocol/schemas' // needs zod (3.25+ or 4)

const events: WorkflowEvent[] = [
  runStarted('run-1'),
  stepStarted({ stepName: 'writer', stepId: 's1', stepType: 'agent' }),
  textMessageContent('m1', 'Hello'),
]
workflowEventSchema.parse(events[0])
