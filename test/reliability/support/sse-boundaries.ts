const HEADER_END = '\r\n\r\n'

export interface RecordedExchange {
  /** Bytes of the status line and headers, blank line included. */
  headLength: number
  bodyLength: number
  /** Offsets in the body just after each SSE frame's blank line (the body is chunked, so each frame is followed by its chunk's CRLF). */
  frameEnds: number[]
}

/** Splits a recorded HTTP/1.1 SSE response (as the proxy saw it) into its head and frame boundaries. */
export function recordExchange(bytes: Uint8Array): RecordedExchange {
  // latin1 keeps one character per byte, so string offsets are byte offsets.
  const text = Buffer.from(bytes).toString('latin1')
  const headLength = text.indexOf(HEADER_END) + HEADER_END.length
  if (headLength < HEADER_END.length) throw new Error('recorded exchange has no header end')
  const body = text.slice(headLength)
  const frameEnds: number[] = []
  // JSON never holds a raw newline, and chunk framing is CRLF, so LF LF only ends frames.
  for (let at = body.indexOf('\n\n'); at !== -1; at = body.indexOf('\n\n', at + 2)) frameEnds.push(at + 2)
  return { headLength, bodyLength: body.length, frameEnds }
}

/**
 * Cut offsets (in the body) at and between every frame boundary: at the
 * boundary, one byte before it (between the two LFs), just after the chunk's
 * CRLF, inside the chunk-size line, and in the middle of the frame.
 */
export function bodyCutOffsets({ frameEnds, bodyLength }: RecordedExchange): number[] {
  const offsets = new Set<number>([0, 1])
  let previous = 0
  for (const end of frameEnds) {
    offsets.add(Math.floor((previous + end) / 2))
    offsets.add(end - 1)
    offsets.add(end)
    offsets.add(end + 2)
    offsets.add(end + 3)
    previous = end + 2
  }
  return [...offsets].filter((offset) => offset >= 0 && offset < bodyLength).sort((a, b) => a - b)
}
