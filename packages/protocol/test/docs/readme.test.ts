/**
 * This package's README example, kept in ./readme-protocol.ts (typechecked
 * with the package), checked to be in the README verbatim, and run: the
 * events it builds pass the zod schema it parses them with.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { workflowEventSchema } from '@stepstream/protocol/schemas'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

describe("this package's README example", () => {
  it('is in the README verbatim', () => {
    expect(read('../../README.md')).toContain('```ts\n' + read('./readme-protocol.ts') + '```\n')
  })

  it('runs: each event it builds is a valid workflow event', async () => {
    const parse = vi.spyOn(workflowEventSchema, 'parse')
    await import('./readme-protocol.js')
    expect(parse).toHaveBeenCalledTimes(1)
    expect(parse.mock.results[0]).toMatchObject({ type: 'return', value: { type: 'RUN_STARTED', runId: 'run-1' } })
  })
})
