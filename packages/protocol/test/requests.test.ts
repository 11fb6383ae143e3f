/** PROTOCOL §4's error table, headers and defaults, as the package exports them. */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_BODY_BYTES, ERROR_STATUS, HEADERS, type AbortResponse, type ProtocolErrorBody, type ProtocolErrorCode } from '@stepstream/protocol'
import { protocolErrorBodySchema } from '@stepstream/protocol/schemas'

describe('errors (PROTOCOL §4)', () => {
  it('every code has the status of the table, and no other code is known', () => {
    expect(ERROR_STATUS).toEqual({
      invalid_json: 400,
      invalid_request: 400,
      invalid_input: 400,
      unauthorized: 401,
      forbidden: 403,
      run_not_found: 404,
      run_id_conflict: 409,
      run_not_paused: 409,
      approval_mismatch: 409,
      approval_conflict: 409,
      signal_mismatch: 409,
      payload_too_large: 413,
      unsupported_media_type: 415,
      internal: 500,
    })
    expectTypeOf<keyof typeof ERROR_STATUS>().toEqualTypeOf<ProtocolErrorCode>()
  })

  it('the body is { error: { code, message, issues? } }', () => {
    const bodies: ProtocolErrorBody[] = [
      { error: { code: 'run_not_found', message: 'No run r' } },
      { error: { code: 'invalid_input', message: 'Input failed its schema', issues: [{ message: 'Required', path: ['topic'] }] } },
    ]
    for (const body of bodies) expect(protocolErrorBodySchema.safeParse(body).success).toBe(true)
    for (const body of [{}, { error: { code: 'internal' } }, { error: { message: 'x' } }, { error: { code: 500, message: 'x' } }, { error: { code: 'x', message: 'x', issues: [{}] } }, { code: 'internal', message: 'x' }]) {
      expect(protocolErrorBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(false)
    }
  })

  it("abort answers { runId, status: 'aborted' }", () => {
    expectTypeOf<AbortResponse>().toEqualTypeOf<{ runId: string; status: 'aborted' }>()
  })
})

describe('transport constants (PROTOCOL §1, §4)', () => {
  it('headers, heartbeat and body limit', () => {
    expect(HEADERS).toEqual({ runId: 'x-workflow-run-id', tailIndex: 'x-workflow-stream-tail-index' })
    expect(DEFAULT_HEARTBEAT_MS).toBe(15_000)
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024)
  })
})
