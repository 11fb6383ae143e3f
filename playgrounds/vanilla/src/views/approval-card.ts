import type { PendingApproval } from '@stepstream/client'
import { approvalIds, copy, isAnswering, revealCard, shownApproval, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import type { View } from './types.js'

interface Card {
  element: HTMLElement
  /** A decision is on its way to the server (isAnswering): neither is offered again. */
  setDeciding(deciding: boolean): void
}

function card(approval: PendingApproval, onDecide: (approved: boolean, feedback?: string) => void): Card {
  let deciding = false
  // Requesting changes has the editor revise the draft: it takes feedback to go on.
  const sync = () => {
    approve.disabled = deciding
    requestChanges.disabled = deciding || feedback.value.trim() === ''
  }
  const feedback = h('textarea', {
    testId: testIds.feedbackInput,
    attrs: { placeholder: copy.feedbackPlaceholder, ...(approval.description ? { 'aria-describedby': approvalIds.description } : {}) },
    on: { input: () => sync() },
  })
  const approve = h('button', { className: 'approve', testId: testIds.approveButton, attrs: { type: 'button' }, on: { click: () => onDecide(true) } }, copy.approve)
  const requestChanges = h('button', { testId: testIds.requestChangesButton, attrs: { type: 'button' }, on: { click: () => onDecide(false, feedback.value.trim()) } }, copy.requestChanges)
  sync()
  const element = h('section', { className: 'panel approval', testId: testIds.approvalCard, attrs: { 'aria-labelledby': approvalIds.title } },
    h('h2', { testId: testIds.approvalTitle, attrs: { id: approvalIds.title } }, approval.title),
    approval.description ? h('p', { attrs: { id: approvalIds.description } }, approval.description) : null,
    h('div', { className: 'form' },
      h('label', {}, copy.feedbackLabel, feedback),
      // Request changes first: it sends the feedback just above it, so Tab from the field reaches it before Approve, which would drop what was typed.
      h('div', { className: 'actions' }, requestChanges, approve),
    ),
  )
  return {
    element,
    setDeciding: (value) => {
      if (value === deciding) return
      deciding = value
      sync()
    },
  }
}

/**
 * The card is built once per approval id (not per state object: an attach
 * rebuilds the state), so feedback being typed survives streaming updates.
 */
export function approvalCard(onDecide: (approved: boolean, feedback?: string) => void): View {
  const slot = h('div', { className: 'slot' })
  let shown: { id: string; card: Card } | undefined
  return {
    element: slot,
    update: (state) => {
      const pendingApproval = shownApproval(state)
      if (pendingApproval?.approvalId !== shown?.id) {
        shown = pendingApproval ? { id: pendingApproval.approvalId, card: card(pendingApproval, onDecide) } : undefined
        slot.replaceChildren(...(shown ? [shown.card.element] : []))
        // Into view as it appears: on a phone it sits below the timeline (reveal.ts).
        if (shown) revealCard(shown.card.element)
      }
      shown?.card.setDeciding(isAnswering(state))
    },
  }
}
