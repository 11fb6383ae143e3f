import { WorkflowRequestError } from '../errors.js'
import type { ActionRequest } from '../requests/action.js'
import { runIdOf } from '../requests/parse-action.js'

const INTEGER = /^-?\d{1,15}$/

/**
 * GET resume: `?runId=…&startIndex=…&workflow=…`. A `Last-Event-ID` header
 * (sent by EventSource on reconnect, with the original URL) wins over the
 * query, since it is the newer cursor.
 */
export function parseResumeQuery(request: Request): ActionRequest {
  const query = new URL(request.url).searchParams
  const runId = runIdOf(query.get('runId'))
  const lastEventId = request.headers.get('last-event-id')
  const startIndexText = query.get('startIndex')
  let startIndex = 0
  if (lastEventId !== null && lastEventId.trim() !== '') {
    if (!INTEGER.test(lastEventId.trim()) || Number(lastEventId) < 0) {
      throw new WorkflowRequestError('invalid_request', 'Last-Event-ID must be a non-negative integer')
    }
    startIndex = Number(lastEventId) + 1
  } else if (startIndexText !== null) {
    if (!INTEGER.test(startIndexText)) throw new WorkflowRequestError('invalid_request', 'startIndex must be an integer')
    startIndex = Number(startIndexText)
  }
  const workflow = query.get('workflow')
  return workflow === null ? { action: 'resume', runId, startIndex } : { action: 'resume', runId, startIndex, workflow }
}
