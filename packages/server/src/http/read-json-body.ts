import { WorkflowRequestError } from '../errors.js'
import { assertSafeJson } from '../requests/guard-json.js'

/**
 * Reads a POST body as JSON within a byte limit. The declared length is
 * checked first, and the bytes actually received are counted too, since a
 * chunked body declares nothing.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type') ?? ''
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new WorkflowRequestError('unsupported_media_type', 'POST bodies must be application/json')
  }
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes)

  const text = await readText(request, maxBytes)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    // Also catches the RangeError of a body nested deep enough to exhaust the parser.
    throw new WorkflowRequestError('invalid_json', 'Body is not valid JSON')
  }
  assertSafeJson(body)
  return body
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await readChunk(reader)
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new WorkflowRequestError('invalid_json', 'Body is not valid UTF-8')
  }
}

/**
 * A body that fails while it is read was cut off on the client's side (it
 * went away mid-upload, or its connection broke): the request failed, not
 * the server, so it is refused like any other bad request, unreported.
 */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read()
  } catch {
    throw new WorkflowRequestError('invalid_request', 'The request body ended before it was complete')
  }
}

function tooLarge(maxBytes: number): WorkflowRequestError {
  return new WorkflowRequestError('payload_too_large', `Body exceeds ${maxBytes} bytes`)
}
