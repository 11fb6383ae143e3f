/**
 * Turns a JSON body into exactly one action (PROTOCOL §4), or refuses it with
 * `invalid_request`. Also maps an AG-UI `RunAgentInput` body to start,
 * approve or signal, with `threadId` as the run id.
 */
import type { ApprovalDecision, SignalDelivery } from '@stepstream/protocol'
import { isReservedSignalName, RESERVED_SIGNAL_PREFIX } from '../authoring/commands.js'
import { WorkflowRequestError } from '../errors.js'
import type { ActionRequest } from './action.js'
import { MAX_TEXT_LENGTH } from './text-limit.js'

const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
/** The keys that name a body's action (PROTOCOL §4); a body has exactly one. */
export const ACTION_KEYS = ['input', 'approval', 'signal', 'startIndex', 'abort'] as const

type Body = Record<string, unknown>

function invalid(message: string): WorkflowRequestError {
  return new WorkflowRequestError('invalid_request', message)
}

export function parseActionBody(body: unknown): ActionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Body must be a JSON object')
  const fields = body as Body
  const present = ACTION_KEYS.filter((key) => Object.hasOwn(fields, key))
  if (present.length === 0 && isRunAgentInput(fields)) return parseRunAgentInput(fields)
  if (present.length === 0) throw invalid('Body has no action: expected one of input, approval, signal, startIndex, abort')
  if (present.length > 1) throw invalid(`Body is ambiguous: it has ${present.join(' and ')}`)
  const workflow = optionalString(fields, 'workflow')
  const withWorkflow = <T extends object>(request: T) => (workflow === undefined ? request : { ...request, workflow })

  switch (present[0]) {
    case 'input': {
      const runId = fields.runId === undefined ? undefined : runIdOf(fields.runId)
      return withWorkflow(runId === undefined ? { action: 'start', input: fields.input } : { action: 'start', input: fields.input, runId })
    }
    case 'approval':
      return withWorkflow({ action: 'approve', runId: runIdOf(fields.runId), approval: approvalOf(fields.approval) })
    case 'signal':
      return withWorkflow({ action: 'signal', runId: runIdOf(fields.runId), signal: signalOf(fields.signal) })
    case 'startIndex':
      return withWorkflow({ action: 'resume', runId: runIdOf(fields.runId), startIndex: indexOf(fields.startIndex) })
    default:
      if (fields.abort !== true) throw invalid('abort must be true')
      return withWorkflow({ action: 'abort', runId: runIdOf(fields.runId) })
  }
}

export function runIdOf(value: unknown): string {
  if (typeof value !== 'string' || !RUN_ID_PATTERN.test(value)) {
    throw invalid('runId must be 1-128 characters of letters, digits, ".", "_", ":" or "-"')
  }
  return value
}

export function indexOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('startIndex must be an integer')
  return value
}

function approvalOf(value: unknown): ApprovalDecision {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('approval must be an object')
  const approval = value as Body
  const approvalId = requiredString(approval, 'approvalId', 'approval.approvalId')
  if (typeof approval.approved !== 'boolean') throw invalid('approval.approved must be a boolean')
  const feedback = optionalString(approval, 'feedback', 'approval.feedback')
  return feedback === undefined ? { approvalId, approved: approval.approved } : { approvalId, approved: approval.approved, feedback }
}

function signalOf(value: unknown): SignalDelivery {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('signal must be an object')
  const signal = value as Body
  const signalId = requiredString(signal, 'signalId', 'signal.signalId')
  const name = signalNameOf(requiredString(signal, 'name', 'signal.name'))
  return Object.hasOwn(signal, 'payload') ? { signalId, name, payload: signal.payload } : { signalId, name }
}

/**
 * A reserved name (`__sleep`) is refused as `400 invalid_request`, not `409
 * signal_mismatch`: PROTOCOL §4 keeps 409 for a request that does not fit the
 * run's current state, while no client may send this name to any run, ever.
 */
function signalNameOf(name: string): string {
  if (isReservedSignalName(name)) throw invalid(`Signal names starting with "${RESERVED_SIGNAL_PREFIX}" are reserved for the server`)
  return name
}

function requiredString(object: Body, key: string, label = key): string {
  const value = object[key]
  if (typeof value !== 'string' || value === '') throw invalid(`${label} must be a non-empty string`)
  return withinLimit(value, label)
}

function optionalString(object: Body, key: string, label = key): string | undefined {
  const value = object[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalid(`${label} must be a string`)
  return withinLimit(value, label)
}

/** Said apart from a wrong type: whoever typed long feedback must learn what to change. */
function withinLimit(value: string, label: string): string {
  if (value.length > MAX_TEXT_LENGTH) throw invalid(`${label} must be at most ${MAX_TEXT_LENGTH} characters`)
  return value
}

// AG-UI's RunAgentInput: threadId, runId and messages are its required fields.
function isRunAgentInput(fields: Body): boolean {
  return typeof fields.threadId === 'string' && Array.isArray(fields.messages)
}

function parseRunAgentInput(fields: Body): ActionRequest {
  const runId = runIdOf(fields.threadId)
  const forwarded = fields.forwardedProps
  const forwardedProps = typeof forwarded === 'object' && forwarded !== null && !Array.isArray(forwarded) ? (forwarded as Body) : {}
  const workflow = optionalString(forwardedProps, 'workflow', 'forwardedProps.workflow')
  const withWorkflow = <T extends object>(request: T) => (workflow === undefined ? request : { ...request, workflow })
  const resume = fields.resume
  if (resume === undefined || (Array.isArray(resume) && resume.length === 0)) {
    return withWorkflow({ action: 'start', runId, input: forwardedProps.input })
  }
  if (!Array.isArray(resume) || resume.length !== 1) throw invalid('resume must hold exactly one entry')
  const entry = resume[0]
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid('resume[0] must be an object')
  const answer = entry as Body
  const interruptId = requiredString(answer, 'interruptId', 'resume[0].interruptId')
  if (answer.status !== 'resolved' && answer.status !== 'cancelled') throw invalid('resume[0].status must be "resolved" or "cancelled"')
  const payload = answer.payload
  if (interruptId.startsWith('signal:')) {
    if (answer.status === 'cancelled') throw invalid('A signal wait cannot be cancelled; abort the run instead')
    // AG-UI has no idempotency key of its own; its per-request runId plays that part.
    const signalId = typeof fields.runId === 'string' && fields.runId !== '' ? `ag-ui:${fields.runId}` : `ag-ui:${crypto.randomUUID()}`
    const signal = { signalId, name: signalNameOf(interruptId.slice('signal:'.length)), payload }
    if (signal.name === '') throw invalid('resume[0].interruptId names no signal')
    return withWorkflow({ action: 'signal', runId, signal })
  }
  const decision = typeof payload === 'object' && payload !== null ? (payload as Body) : {}
  const approved = answer.status === 'resolved' && decision.approved !== false
  const feedback = optionalString(decision, 'feedback', 'resume[0].payload.feedback')
  const approval = feedback === undefined ? { approvalId: interruptId, approved } : { approvalId: interruptId, approved, feedback }
  return withWorkflow({ action: 'approve', runId, approval })
}
