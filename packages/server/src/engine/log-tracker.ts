import type { StepType, WorkflowEvent } from '@stepstream/protocol'

export interface OpenStep {
  stepId: string
  stepName: string
  stepType: StepType
}

/**
 * Follows the events actually written to the log (not merely queued) and
 * knows what is still open in the current segment: steps, text messages,
 * tool calls. Pauses and aborts close exactly these, so the log stays
 * well-nested for AG-UI's verifier.
 */
export class LogTracker {
  private segmentOpen = false
  private steps: OpenStep[] = []
  private readonly messages = new Set<string>()
  private readonly toolCalls = new Set<string>()

  observe(event: WorkflowEvent): void {
    switch (event.type) {
      case 'RUN_STARTED':
      case 'RUN_FINISHED':
      case 'RUN_ERROR':
        this.segmentOpen = event.type === 'RUN_STARTED'
        this.steps = []
        this.messages.clear()
        this.toolCalls.clear()
        break
      case 'STEP_STARTED': {
        const metadata = event.metadata ?? {}
        this.steps.push({
          stepId: String(metadata.stepId),
          stepName: event.stepName,
          stepType: (metadata.stepType ?? 'step') as StepType,
        })
        break
      }
      case 'STEP_FINISHED': {
        const stepId = event.metadata?.stepId
        this.steps = this.steps.filter((step) => step.stepId !== stepId)
        break
      }
      case 'TEXT_MESSAGE_START':
        this.messages.add(event.messageId)
        break
      case 'TEXT_MESSAGE_END':
        this.messages.delete(event.messageId)
        break
      case 'TOOL_CALL_START':
        this.toolCalls.add(event.toolCallId)
        break
      case 'TOOL_CALL_END':
        this.toolCalls.delete(event.toolCallId)
        break
      default:
        break
    }
  }

  /** Whether the log has a segment open: between a RUN_STARTED and its terminal event. */
  inSegment(): boolean {
    return this.segmentOpen
  }

  /** Open steps, outermost first. */
  openSteps(): OpenStep[] {
    return [...this.steps]
  }

  openMessages(): string[] {
    return [...this.messages]
  }

  openToolCalls(): string[] {
    return [...this.toolCalls]
  }
}
