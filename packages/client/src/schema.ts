import type { StandardSchemaV1 } from '@standard-schema/spec'

export type { StandardSchemaV1 }

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string }

/** Runs any Standard Schema (zod, valibot, arktype, …), sync or async. */
export async function validateWithSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Promise<ValidationResult<T>> {
  const result = await schema['~standard'].validate(value)
  if (!result.issues) return { ok: true, value: result.value }
  const message = result.issues
    .map((issue) => {
      const path = issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment)).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
  return { ok: false, message }
}
