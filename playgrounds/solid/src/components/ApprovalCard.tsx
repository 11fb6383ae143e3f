import { approvalIds, copy, revealCard, testIds } from '@stepstream/playground-shared'
import type { PendingApproval } from '@stepstream/solid'
import { createSignal, onMount, Show } from 'solid-js'

interface ApprovalCardProps {
  approval: PendingApproval
  /** A decision is on its way to the server (isAnswering): neither is offered again. */
  deciding: boolean
  onDecide: (approved: boolean, feedback?: string) => void
}

export function ApprovalCard(props: ApprovalCardProps) {
  const [feedback, setFeedback] = createSignal('')
  // Into view as it appears: on a phone it sits below the timeline (reveal.ts).
  let card!: HTMLElement
  onMount(() => revealCard(card))
  return (
    <section ref={card} class="panel approval" data-testid={testIds.approvalCard} aria-labelledby={approvalIds.title}>
      <h2 id={approvalIds.title} data-testid={testIds.approvalTitle}>
        {props.approval.title}
      </h2>
      <Show when={props.approval.description}>
        <p id={approvalIds.description}>{props.approval.description}</p>
      </Show>
      <div class="form">
        <label>
          {copy.feedbackLabel}
          <textarea
            data-testid={testIds.feedbackInput}
            aria-describedby={props.approval.description ? approvalIds.description : undefined}
            placeholder={copy.feedbackPlaceholder}
            value={feedback()}
            onInput={(event) => setFeedback(event.currentTarget.value)}
          />
        </label>
        <div class="actions">
          {/* Request changes first: it sends the feedback just above it, so Tab from the field reaches it before Approve, which would drop what was typed. It takes feedback to go on (the editor revises with it). */}
          <button
            data-testid={testIds.requestChangesButton}
            type="button"
            disabled={props.deciding || feedback().trim() === ''}
            onClick={() => props.onDecide(false, feedback().trim())}
          >
            {copy.requestChanges}
          </button>
          <button class="approve" data-testid={testIds.approveButton} type="button" disabled={props.deciding} onClick={() => props.onDecide(true)}>
            {copy.approve}
          </button>
        </div>
      </div>
    </section>
  )
}
