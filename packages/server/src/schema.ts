import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { ProtocolIssue } from '@stepstream/protocol'

/** Any Standard Schema (zod, valibot, arktype, …). */
export type Schema<TInput = unknown, TOutput = TInput> = StandardSchemaV1<TInput, TOutput>

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ProtocolIssue[] }

/** Validates with an optional schema; no schema means the value is taken as is. */
export async function validateWithSchema<T>(schema: Schema<unknown, T> | undefined, value: unknown): Promise<ValidationResult<T>> {
  if (!schema) return { ok: true, value: value as T }
  const result = await schema['~standard'].validate(value)
  if (result.issues) return { ok: false, issues: result.issues.map(toProtocolIssue) }
  return { ok: true, value: result.value }
}

// Issues travel as JSON, so symbol keys become strings and path segments flatten to keys.
function toProtocolIssue(issue: StandardSchemaV1.Issue): ProtocolIssue {
  const message = issue.message
  if (!issue.path) return { message }
  const path = issue.path.map((segment) => {
    const key = typeof segment === 'object' ? segment.key : segment
    return typeof key === 'symbol' ? String(key) : key
  })
  return { message, path }
}

export function describeIssues(issues: ProtocolIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path && issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
