import type { PendingApproval } from '@stepstream/client'
import { copy, testIds } from '@stepstream/playground-shared'
import { h } from '../h.js'
import type { View } from './types.js'

function card(approval: PendingApproval, onDecide: (approved: boolean, feedback?: string) => void): HTMLElement {
  // Requesting changes has the editor revise the draft: it takes feedback to go on.
  const feedback = h('textarea', {
    testId: testIds.feedbackInput,
    attrs: { placeholder: copy.feedbackPlaceholder },
    on: { input: () => (requestChanges.disabled = feedback.value.trim() === '') },
  })
  const requestChanges = h('button', { testId: testIds.requestChangesButton, attrs: { type: 'button' }, on: { click: () => onDecide(false, feedback.value.trim()) } }, copy.requestChanges)
  requestChanges.disabled = true
  return h('section', { className: 'panel approval', testId: testIds.approvalCard },
    h('h3', { testId: testIds.approvalTitle }, approval.title),
    approval.description ? h('p', {}, approval.description) : null,
    h('div', { className: 'form' },
      h('label', {}, copy.feedbackLabel, feedback),
      h('div', { className: 'actions' },
        h('button', { className: 'approve', testId: testIds.approveButton, attrs: { type: 'button' }, on: { click: () => onDecide(true) } }, copy.approve),
        requestChanges,
      ),
    ),
  )
}

/**
 * The card is built once per approval id (not per state object: an attach
 * rebuilds the state), so feedback being typed survives streaming updates.
 */
export function approvalCard(onDecide: (approved: boolean, feedback?: string) => void): View {
  const slot = h('div', { className: 'slot' })
  let shownId: string | undefined
  return {
    element: slot,
    update: ({ pendingApproval }) => {
      if (pendingApproval?.approvalId === shownId) return
      shownId = pendingApproval?.approvalId
      slot.replaceChildren(...(pendingApproval ? [card(pendingApproval, onDecide)] : []))
    },
  }
}
