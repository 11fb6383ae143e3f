import type { ProtocolErrorBody } from '@stepstream/protocol'
import { WorkflowRequestError } from '../errors.js'

export function jsonResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers },
  })
}

/** The protocol's error body. Anything that is not a refusal becomes a bare 500: no message, no stack. */
export function errorResponse(error: unknown): Response {
  if (error instanceof WorkflowRequestError) {
    const body: ProtocolErrorBody = { error: { code: error.code, message: error.message } }
    if (error.issues) body.error.issues = error.issues
    return jsonResponse(body, error.status)
  }
  const body: ProtocolErrorBody = { error: { code: 'internal', message: 'Internal server error' } }
  return jsonResponse(body, 500)
}
