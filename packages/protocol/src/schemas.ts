/**
 * zod schemas for events and request bodies, at '@stepstream/protocol/schemas'.
 * Kept out of the main entry so a client bundle never pulls in zod. Written
 * against the API shared by zod 3.25+ and zod 4.
 */
import { z } from 'zod'

/**
 * How every export is declared: a plain `ZodType` of its output. Inferred, the
 * built .d.ts would spell out zod's internals (`z.core.$strip`, the type
 * parameters of `ZodDiscriminatedUnion`), which zod 3.25 lacks and zod 4's
 * minors change, so an app on another zod than ours could not type-check it.
 * `ZodType<T>` reads the same in zod 3 and every zod 4; the alias keeps the
 * .d.ts from spelling out zod 4's defaults for its other type parameters.
 */
type Schema<TOutput> = z.ZodType<TOutput>

function published<TOutput>(schema: z.ZodType<TOutput>): Schema<TOutput> {
  return schema
}

/**
 * A field that must be there but may hold any JSON value, null included. zod 3
 * reads a bare `z.unknown()` key as optional, so a CUSTOM with no `value` (or
 * a start with no `input`) passed there while zod 4 refused it.
 */
const required = () => z.unknown().refine((value) => value !== undefined, { message: 'Required' })

/** zod 3's `.int()` passes 1e300; zod 4's stops at the safe integers, as AG-UI's does. */
const integer = () => z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)

const metadata = z.record(z.string(), z.unknown())
const base = { timestamp: integer().optional(), metadata: metadata.optional() }

/**
 * An id a client sends back in a request (the run id, an approval id, a
 * signal's name), where the request schemas refuse an empty one.
 */
const id = () => z.string().min(1)

const stepError = z.object({ name: z.string(), message: z.string() })

/** An RFC 6901 JSON Pointer: '' or '/'-prefixed tokens, `~` only as ~0 or ~1 (AG-UI 1.0 refuses anything else). */
const pointer = z.string().regex(/^(\/([^/~]|~[01])*)*$/, { message: 'Expected a JSON Pointer (RFC 6901)' })

const patchOperation = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), path: pointer, value: required() }),
  z.object({ op: z.literal('remove'), path: pointer }),
  z.object({ op: z.literal('replace'), path: pointer, value: required() }),
  z.object({ op: z.literal('move'), path: pointer, from: pointer }),
  z.object({ op: z.literal('copy'), path: pointer, from: pointer }),
  z.object({ op: z.literal('test'), path: pointer, value: required() }),
])

const interrupt = z.union([
  z.object({
    id: id(),
    reason: z.literal('approval'),
    message: z.string().optional(),
    metadata: z.object({ description: z.string().optional() }).optional(),
  }),
  z.object({
    id: id(),
    reason: z.literal('signal'),
    metadata: z.object({ signalName: id(), deadline: z.string().optional(), meta: z.unknown().optional() }),
  }),
])

export const jsonPatchOperationSchema = published(patchOperation)

/** AG-UI 1.0's content parts, for TOOL_CALL_RESULT.content. */
const partMetadata = z.unknown().refine((value) => value !== null, { message: 'metadata may be absent, not null' }).optional()
const partSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('data'), value: z.string(), mimeType: z.string() }),
  z.object({ type: z.literal('url'), value: z.string(), mimeType: z.string().optional() }),
  z.object({ type: z.literal('file'), value: z.string(), provider: z.string().optional(), mimeType: z.string().optional() }),
])
const mediaPart = (type: 'image' | 'audio' | 'video' | 'document') =>
  z.object({ type: z.literal(type), id: z.string().optional(), source: partSource, metadata: partMetadata })
const contentPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), id: z.string().optional(), text: z.string(), metadata: partMetadata }),
  mediaPart('image'),
  mediaPart('audio'),
  mediaPart('video'),
  mediaPart('document'),
])

const events = z.discriminatedUnion('type', [
  z.object({ type: z.literal('RUN_STARTED'), threadId: id(), runId: id(), ...base }),
  z.object({
    type: z.literal('STEP_STARTED'),
    stepName: z.string(),
    ...base,
  }),
  z.object({ type: z.literal('STEP_FINISHED'), stepName: z.string(), ...base }),
  z.object({ type: z.literal('TEXT_MESSAGE_START'), messageId: z.string(), role: z.literal('assistant'), ...base }),
  z.object({ type: z.literal('TEXT_MESSAGE_CONTENT'), messageId: z.string(), delta: z.string(), ...base }),
  z.object({ type: z.literal('TEXT_MESSAGE_END'), messageId: z.string(), ...base }),
  z.object({
    type: z.literal('TOOL_CALL_START'),
    toolCallId: z.string(),
    toolCallName: z.string(),
    parentMessageId: z.string().optional(),
    ...base,
  }),
  z.object({ type: z.literal('TOOL_CALL_ARGS'), toolCallId: z.string(), delta: z.string(), ...base }),
  z.object({ type: z.literal('TOOL_CALL_END'), toolCallId: z.string(), ...base }),
  z.object({
    type: z.literal('TOOL_CALL_RESULT'),
    messageId: z.string(),
    toolCallId: z.string(),
    content: z.union([z.string(), z.array(contentPart)]),
    role: z.literal('tool').optional(),
    ...base,
  }),
  z.object({ type: z.literal('STATE_SNAPSHOT'), snapshot: required(), ...base }),
  z.object({ type: z.literal('STATE_DELTA'), delta: z.array(patchOperation), ...base }),
  z.object({ type: z.literal('CUSTOM'), name: z.string(), value: required(), ...base }),
  z.object({
    type: z.literal('RUN_FINISHED'),
    threadId: id(),
    runId: id(),
    // AG-UI 1.0 refuses `result: null`; a null output travels as metadata.result.
    result: z
      .unknown()
      .refine((value) => value !== null, { message: 'result may not be null: a null output travels as metadata.result' })
      .optional(),
    outcome: z
      .union([
        z.object({ type: z.literal('success') }),
        z.object({ type: z.literal('interrupt'), interrupts: z.array(interrupt).min(1) }),
      ])
      .optional(),
    ...base,
  }),
  z.object({ type: z.literal('RUN_ERROR'), message: z.string(), code: z.string().optional(), ...base }),
])

type Event = z.output<typeof events>

/** The values of the CUSTOM names PROTOCOL §2 gives a meaning; any other name carries anything. */
const customValues: Record<string, z.ZodType> = {
  'approval-requested': z.object({
    approvalId: id(),
    kind: z.literal('workflow'),
    title: z.string(),
    description: z.string().optional(),
  }),
  'run.paused': z.object({ signalName: id(), deadline: z.string().optional(), meta: z.unknown().optional() }),
}

const stepType = z.enum(['agent', 'approval', 'nested-workflow', 'step', 'signal'])

/**
 * The keys stepstream puts in `metadata`, each checked when present: an
 * event without them is still an AG-UI event, one with a numeric stepId or
 * an unknown stepType is wrong under any reading.
 */
const metadataConventions: Partial<Record<Event['type'], z.ZodType>> = {
  STEP_STARTED: z.object({ stepId: z.string().optional(), stepType: stepType.optional() }),
  STEP_FINISHED: z.object({ stepId: z.string().optional(), result: z.unknown().optional(), error: stepError.optional() }),
  TEXT_MESSAGE_START: z.object({ stepId: z.string().optional() }),
}

/** Checks `value` against `schema`, reporting its issues at `path` inside the event. */
function within(ctx: z.RefinementCtx, schema: z.ZodType, value: unknown, path: PropertyKey[]): void {
  const result = schema.safeParse(value)
  if (result.success) return
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: [...path, ...issue.path], message: issue.message })
}

/**
 * PROTOCOL's rules that span fields. Checked on the union, not on its
 * members: zod 3's discriminatedUnion takes plain objects only.
 */
function conventions(event: Event, ctx: z.RefinementCtx): void {
  const metadataSchema = metadataConventions[event.type]
  if (metadataSchema && event.metadata !== undefined) within(ctx, metadataSchema, event.metadata, ['metadata'])
  if (event.type === 'CUSTOM' && Object.hasOwn(customValues, event.name)) within(ctx, customValues[event.name]!, event.value, ['value'])
  if (event.type === 'RUN_FINISHED' && event.outcome?.type === 'interrupt') {
    if (event.result !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['result'], message: 'result is the output of a run that succeeded; an interrupted run has none' })
    }
    // A client answers a signal interrupt (AG-UI resume) by its id, which must name the signal.
    event.outcome.interrupts.forEach((interrupt, index) => {
      if (interrupt.reason === 'signal' && interrupt.id !== `signal:${interrupt.metadata.signalName}`) {
        ctx.addIssue({ code: 'custom', path: ['outcome', 'interrupts', index, 'id'], message: `A signal interrupt's id is 'signal:' + its metadata.signalName` })
      }
    })
  }
}

export const workflowEventSchema = published(events.superRefine(conventions))

/** The step metadata stepstream servers put on STEP_* events. */
export const stepStartedMetadataSchema = published(z.object({
  stepId: z.string(),
  stepType,
}))
export const stepFinishedMetadataSchema = published(z.object({
  stepId: z.string(),
  result: z.unknown().optional(),
  error: stepError.optional(),
}))

const runId = z.string().min(1).max(200)
const workflow = z.string().min(1).max(200).optional()

/** The key that names each action; a body holds exactly one of them (PROTOCOL §4). */
const ACTION_KEYS = ['input', 'approval', 'signal', 'startIndex', 'abort'] as const
type ActionKey = (typeof ACTION_KEYS)[number]

/** A body for the action named by `key`: any other action's key makes it ambiguous, so it is refused. */
function action<TShape extends z.ZodRawShape>(key: ActionKey, shape: TShape) {
  const others = Object.fromEntries(
    ACTION_KEYS.filter((other) => other !== key).map((other) => [
      other,
      z.never({ message: `A body holds exactly one action; this one has ${key} and ${other}` }).optional(),
    ]),
  ) as Record<Exclude<ActionKey, keyof TShape>, z.ZodOptional<z.ZodNever>>
  return z.object({ ...others, ...shape })
}

export const startRequestSchema = published(action('input', { input: required(), runId: runId.optional(), workflow }))
export const approveRequestSchema = published(action('approval', {
  runId,
  workflow,
  approval: z.object({ approvalId: z.string().min(1), approved: z.boolean(), feedback: z.string().optional() }),
}))
export const signalRequestSchema = published(action('signal', {
  runId,
  workflow,
  signal: z.object({ signalId: z.string().min(1), name: z.string().min(1), payload: z.unknown().optional() }),
}))
export const resumeRequestSchema = published(action('startIndex', { runId, workflow, startIndex: integer() }))
export const abortRequestSchema = published(action('abort', { runId, workflow, abort: z.literal(true) }))

export const protocolErrorBodySchema = published(z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ message: z.string() }).passthrough()).optional(),
  }),
}))
