import { copy, testIds } from '@stepstream/playground-shared'
import type { PendingApproval } from '@stepstream/solid'
import { createSignal, Show } from 'solid-js'

interface ApprovalCardProps {
  approval: PendingApproval
  /** A decision is on its way to the server (isAnswering): neither is offered again. */
  deciding: boolean
  onDecide: (approved: boolean, feedback?: string) => void
}

export function ApprovalCard(props: ApprovalCardProps) {
  const [feedback, setFeedback] = createSignal('')
  return (
    <section class="panel approval" data-testid={testIds.approvalCard}>
      <h3 data-testid={testIds.approvalTitle}>{props.approval.title}</h3>
      <Show when={props.approval.description}>
        <p>{props.approval.description}</p>
      </Show>
      <div class="form">
        <label>
          {copy.feedbackLabel}
          <textarea
            data-testid={testIds.feedbackInput}
            placeholder={copy.feedbackPlaceholder}
            value={feedback()}
            onInput={(event) => setFeedback(event.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button class="approve" data-testid={testIds.approveButton} type="button" disabled={props.deciding} onClick={() => props.onDecide(true)}>
            {copy.approve}
          </button>
          {/* Requesting changes has the editor revise the draft: it takes feedback to go on. */}
          <button
            data-testid={testIds.requestChangesButton}
            type="button"
            disabled={props.deciding || feedback().trim() === ''}
            onClick={() => props.onDecide(false, feedback().trim())}
          >
            {copy.requestChanges}
          </button>
        </div>
      </div>
    </section>
  )
}
