/**
 * The values a workflow body starts from and ends with, checked against the
 * definition's schemas: the same checks for the root workflow and for a
 * nested one.
 */
import type { WorkflowDefinition } from '../authoring/definitions.js'
import { WorkflowError } from '../errors.js'
import { validateWithSchema } from '../schema.js'
import { errorAbout, invalidValue } from './client-errors.js'
import { cloneJson } from './state-tracker.js'

export async function initialState(definition: WorkflowDefinition, input: unknown): Promise<object> {
  const raw = definition.initialize ? await definition.initialize(input) : {}
  const state = await validateWithSchema(definition.state, raw)
  if (!state.ok) throw invalidValue('invalid_state', `Initial state of "${definition.name}" is invalid`, state.issues)
  if (typeof state.value !== 'object' || state.value === null) {
    throw new WorkflowError('invalid_state', `State of "${definition.name}" must be an object or array`)
  }
  return state.value
}

/** What `run` returned is the output: checked by the `output` schema, then copied as the JSON that goes on the wire. */
export async function validOutput(definition: WorkflowDefinition, returned: unknown): Promise<unknown> {
  const output = await validateWithSchema(definition.output, returned)
  if (!output.ok) {
    throw invalidValue('invalid_output', `Output of workflow "${definition.name}" is invalid`, output.issues)
  }
  try {
    return cloneJson(output.value)
  } catch (error) {
    throw errorAbout('invalid_output', `Output of workflow "${definition.name}" is not JSON`, error)
  }
}
