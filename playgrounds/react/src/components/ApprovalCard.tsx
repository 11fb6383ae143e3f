import { approvalIds, copy, revealCard, testIds } from '@stepstream/playground-shared'
import type { PendingApproval } from '@stepstream/react'
import { useEffect, useRef, useState } from 'react'

interface ApprovalCardProps {
  approval: PendingApproval
  /** A decision is on its way to the server (isAnswering): neither is offered again. */
  deciding: boolean
  onDecide: (approved: boolean, feedback?: string) => void
}

/** Keyed by approval id in the parent, so a new approval starts with empty feedback. */
export function ApprovalCard({ approval, deciding, onDecide }: ApprovalCardProps) {
  const [feedback, setFeedback] = useState('')
  // Into view as it appears: on a phone it sits below the timeline (reveal.ts).
  const card = useRef<HTMLElement>(null)
  useEffect(() => revealCard(card.current!), [])
  return (
    <section ref={card} className="panel approval" data-testid={testIds.approvalCard} aria-labelledby={approvalIds.title}>
      <h2 id={approvalIds.title} data-testid={testIds.approvalTitle}>
        {approval.title}
      </h2>
      {approval.description ? <p id={approvalIds.description}>{approval.description}</p> : null}
      <div className="form">
        <label>
          {copy.feedbackLabel}
          <textarea
            data-testid={testIds.feedbackInput}
            aria-describedby={approval.description ? approvalIds.description : undefined}
            placeholder={copy.feedbackPlaceholder}
            value={feedback}
            onChange={(event) => setFeedback(event.target.value)}
          />
        </label>
        <div className="actions">
          {/* Request changes first: it sends the feedback just above it, so Tab from the field reaches it before Approve, which would drop what was typed. It takes feedback to go on (the editor revises with it). */}
          <button
            data-testid={testIds.requestChangesButton}
            type="button"
            disabled={deciding || feedback.trim() === ''}
            onClick={() => onDecide(false, feedback.trim())}
          >
            {copy.requestChanges}
          </button>
          <button className="approve" data-testid={testIds.approveButton} type="button" disabled={deciding} onClick={() => onDecide(true)}>
            {copy.approve}
          </button>
        </div>
      </div>
    </section>
  )
}
