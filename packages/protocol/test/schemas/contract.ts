/**
 * What the zod schemas at '@stepstream/protocol/schemas' accept and refuse,
 * written once and run under each zod major the peer range admits (zod 4,
 * and zod 3 through `zod/v3`, which is zod 3's own implementation), since the
 * same schema source behaves differently on each.
 */
import { describe, expect, it } from 'vitest'
import * as schemas from '@stepstream/protocol/schemas'

type Schema = { safeParse(value: unknown): { success: boolean } }

const accepts = (schema: Schema, value: unknown) => expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(true)
const refuses = (schema: Schema, value: unknown) => expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false)

const event = schemas.workflowEventSchema

export function schemaContract(zod: string): void {
  describe(`the schemas with ${zod}`, () => {
    describe('required fields whose value may be anything', () => {
      it('accept them present, null included', () => {
        accepts(event, { type: 'CUSTOM', name: 'progress', value: null })
        accepts(event, { type: 'STATE_SNAPSHOT', snapshot: null })
        for (const op of ['add', 'replace', 'test']) accepts(event, { type: 'STATE_DELTA', delta: [{ op, path: '/a', value: null }] })
        accepts(schemas.startRequestSchema, { input: null })
      })

      it('refuse them missing', () => {
        refuses(event, { type: 'CUSTOM', name: 'progress' })
        refuses(event, { type: 'STATE_SNAPSHOT' })
        for (const op of ['add', 'replace', 'test']) {
          refuses(event, { type: 'STATE_DELTA', delta: [{ op, path: '/a' }] })
          refuses(schemas.jsonPatchOperationSchema, { op, path: '/a' })
        }
        refuses(schemas.startRequestSchema, {})
        refuses(schemas.startRequestSchema, { runId: 'run-1' })
      })
    })
  })
}
