/**
 * A small reader of this server's own SSE output (`id:` + one `data:` line
 * per frame, `:` comments), for tests that look at raw responses. The
 * client-level tests use WorkflowClient and its real SSE parser instead.
 */
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'

export interface SseRead {
  status: number
  headers: Headers
  events: IndexedEvent[]
}

export async function readSse(response: Response, options: { stopAfter?: number } = {}): Promise<SseRead> {
  const events: IndexedEvent[] = []
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  while (reader) {
    const { done, value } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const id = /^id: (\d+)$/m.exec(frame)
      const data = /^data: (.*)$/m.exec(frame)
      if (id && data) events.push({ index: Number(id[1]), event: JSON.parse(data[1]!) as WorkflowEvent })
    }
    if (options.stopAfter !== undefined && events.length >= options.stopAfter) {
      // Drops the connection, like a client going away; the run goes on.
      await reader.cancel()
      break
    }
  }
  return { status: response.status, headers: response.headers, events }
}

export async function post(url: string, body: unknown, options: { stopAfter?: number } = {}): Promise<SseRead> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return readSse(response, options)
}

export async function resume(url: string, runId: string, startIndex: number): Promise<SseRead> {
  const query = new URLSearchParams({ runId, startIndex: String(startIndex) })
  return readSse(await fetch(`${url}?${query}`))
}

export function runIdOf(read: SseRead): string {
  const runId = read.headers.get('x-workflow-run-id')
  if (!runId) throw new Error(`response ${read.status} has no run id`)
  return runId
}

export function approvalIdOf(read: SseRead): string {
  for (const { event } of read.events) {
    if (event.type === 'CUSTOM' && event.name === 'approval-requested') return (event.value as { approvalId: string }).approvalId
  }
  throw new Error('no approval-requested event')
}

export function types(events: IndexedEvent[]): string[] {
  return events.map(({ event }) => (event.type === 'CUSTOM' ? `CUSTOM:${event.name}` : event.type))
}
