import type { StandardSchemaV1 } from '@standard-schema/spec'

export type { StandardSchemaV1 }

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string }

/** Runs any Standard Schema (zod, valibot, arktype, …), sync or async. */
export async function validateWithSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Promise<ValidationResult<T>> {
  let result: StandardSchemaV1.Result<T>
  try {
    result = await schema['~standard'].validate(value)
  } catch (error) {
    // A schema may throw rather than report (a transform or refinement that
    // throws): that value is refused like any other, never a rejection that
    // leaves start() 'running' or surfaces as an unhandled one after a finish.
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  if (!result.issues) return { ok: true, value: result.value }
  const message = result.issues
    .map((issue) => {
      const path = issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment)).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
  return { ok: false, message }
}
