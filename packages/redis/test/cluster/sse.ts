/**
 * Reads this server's SSE responses with a real SSE parser, for tests that
 * look at raw responses. The client-level tests use WorkflowClient instead.
 */
import type { IndexedEvent, WorkflowEvent } from '@stepstream/protocol'
import { createParser } from 'eventsource-parser'

export interface SseRead {
  status: number
  headers: Headers
  events: IndexedEvent[]
}

export interface ReadSseOptions {
  /** Drops the connection once this many events came, like a client going away; the run goes on. */
  stopAfter?: number
  /** Where the events go as they arrive, for a test that looks before the response ends. */
  events?: IndexedEvent[]
}

export async function readSse(response: Response, options: ReadSseOptions = {}): Promise<SseRead> {
  const events = options.events ?? []
  const parser = createParser({
    onEvent: (message) => events.push({ index: Number(message.id), event: JSON.parse(message.data) as WorkflowEvent }),
  })
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  while (reader) {
    const { done, value } = await reader.read()
    if (done) break
    parser.feed(decoder.decode(value, { stream: true }))
    if (options.stopAfter !== undefined && events.length >= options.stopAfter) {
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
