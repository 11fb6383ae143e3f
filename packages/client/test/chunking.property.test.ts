import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fetchWorkflowEvents, WorkflowClient, type WorkflowClientState } from '@stepstream/client'
import { articleApproveSegment, articleStartSegment, encoder, sseBody, streamResponse } from './helpers.js'
import { splitBytes } from '../../../test/fixtures/split-bytes.js'

async function finalState(chunks: Uint8Array[]): Promise<WorkflowClientState> {
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents('/api/workflow', { fetchClient: async () => streamResponse(chunks) }),
    reconnect: false,
  })
  const state = await client.start({}, { runId: 'run-1' })
  client.dispose()
  return state
}


describe('chunking invariance (property)', () => {
  // Both segments in one stream, with multi-byte text so cuts land inside characters.
  const events = [...articleStartSegment().slice(0, -1), ...articleApproveSegment().slice(2)]
  events.splice(5, 0, { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: 'ünïcødé 🚀 ', timestamp: 1000 })
  const bytes = encoder.encode(': hello\r\n\r\n' + sseBody(events).replaceAll('\n\n', '\r\n\r\n'))

  it('any chunking of a valid byte stream yields the state of the whole stream', async () => {
    const expected = await finalState([bytes])
    expect(expected.status).toBe('finished')
    expect(expected.currentText).toBe('Published')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
        const state = await finalState(splitBytes(bytes, cuts))
        expect(state).toEqual(expected)
      }),
      { numRuns: 150 },
    )
  })
})
