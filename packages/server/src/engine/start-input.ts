import { validateWithSchema, type Schema, type ValidationResult } from '../schema.js'

/**
 * Checks a start's input and says which input the run is recorded with. JSON
 * has no `undefined`, so a client starting a workflow that takes no input
 * sends `input: null` (the start action is keyed on `input`, PROTOCOL §4).
 * A schema that refuses null but takes a missing input (optional, or with a
 * default) reads that start as one without input; a schema that takes null
 * gets null, and one that takes neither refuses it as it is.
 */
export async function checkStartInput(
  schema: Schema | undefined,
  input: unknown,
): Promise<{ recorded: unknown; checked: ValidationResult<unknown> }> {
  const checked = await validateWithSchema(schema, input)
  if (checked.ok || input !== null) return { recorded: input, checked }
  const missing = await validateWithSchema(schema, undefined)
  return missing.ok ? { recorded: undefined, checked: missing } : { recorded: input, checked }
}
