/**
 * runWorkflow shows errors as the HTTP handler does (error-message.test.ts):
 * masked in production with the original given to `onError` (or
 * console.error), worded by a custom `errorMessage`, unchanged otherwise.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { IndexedEvent } from '@stepstream/protocol'
import { approve, defineAgent, defineWorkflow, inMemoryRunStore, runWorkflow, type WorkflowEventStream } from '@stepstream/server'

class DatabaseError extends Error {
  override name = 'DatabaseError'
}

const lookup = defineAgent({
  name: 'lookup',
  run: async (): Promise<string> => {
    throw new DatabaseError('connect ECONNREFUSED postgres://app:hunter2@db.internal/prod')
  },
})

const uncaught = defineWorkflow({
  name: 'uncaught',
  agents: { lookup },
  run: async function* ({ agents }) {
    return yield* agents.lookup()
  },
})

afterEach(() => {
  vi.unstubAllEnvs()
})

async function collect(stream: WorkflowEventStream): Promise<IndexedEvent[]> {
  const events: IndexedEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

/** Each failed step's metadata.error and each RUN_ERROR's code and message, in log order. */
function failures(events: IndexedEvent[]): object[] {
  return events.flatMap(({ event }): object[] => {
    if (event.type === 'STEP_FINISHED' && event.metadata?.error) return [event.metadata.error]
    if (event.type === 'RUN_ERROR') return [{ code: event.code, message: event.message }]
    return []
  })
}

describe('runWorkflow in production', () => {
  it('masks the failed step and the run, and gives onError the original once', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const onError = vi.fn()
    const events = await collect(runWorkflow({ workflow: uncaught, runStore: inMemoryRunStore(), input: undefined, onError }))
    expect(failures(events)).toEqual([
      { name: 'Error', message: 'Step "lookup" failed' },
      { code: 'step_failed', message: 'Step "lookup" failed' },
    ])
    expect(JSON.stringify(events)).not.toContain('hunter2')
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(DatabaseError)
  })

  it('reports to console.error with the [stepstream] prefix when there is no onError', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await collect(runWorkflow({ workflow: uncaught, runStore: inMemoryRunStore(), input: undefined }))
      expect(logged).toHaveBeenCalledTimes(1)
      expect(logged.mock.calls[0]![0]).toMatch(/^\[stepstream\]/)
      expect(logged.mock.calls[0]).toContainEqual(expect.any(DatabaseError))
    } finally {
      logged.mockRestore()
    }
  })

  it('resumes with the same masked events', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const runStore = inMemoryRunStore()
    const onError = vi.fn()
    const started = runWorkflow({ workflow: uncaught, runStore, input: undefined, onError })
    const first = await collect(started)
    const again = await collect(runWorkflow({ workflow: uncaught, runStore, runId: started.runId!, startIndex: 0, onError }))
    expect(again).toEqual(first)
    expect(onError).toHaveBeenCalledTimes(1)
  })
})

describe('runWorkflow with a custom errorMessage', () => {
  it('words the error with the run, the workflow and the step, also when a decision rebuilds the run', async () => {
    const catching = defineWorkflow({
      name: 'catching',
      agents: { lookup },
      run: async function* ({ agents }) {
        let caught: unknown
        try {
          yield* agents.lookup()
        } catch (error) {
          caught = error
        }
        yield* approve({ title: 'Go on?' })
        throw caught
      },
    })
    const runStore = inMemoryRunStore()
    const errorMessage = vi.fn(() => 'Please try again later')
    const paused = runWorkflow({ workflow: catching, runStore, input: undefined, errorMessage })
    const first = await collect(paused)
    const requested = first.find(({ event }) => event.type === 'CUSTOM' && event.name === 'approval-requested')!.event
    const approvalId = (requested as { value: { approvalId: string } }).value.approvalId
    const second = await collect(runWorkflow({ workflow: catching, runStore, runId: paused.runId!, approval: { approvalId, approved: true }, errorMessage }))
    expect(failures([...first, ...second])).toEqual([
      { name: 'Error', message: 'Please try again later' },
      { code: 'step_failed', message: 'Please try again later' },
    ])
    expect(errorMessage.mock.calls).toEqual([[expect.any(DatabaseError), { runId: paused.runId, workflow: 'catching', stepName: 'lookup' }]])
  })
})
