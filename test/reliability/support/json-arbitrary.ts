import fc from 'fast-check'

/**
 * JSON as a tree with objects as key/value lists, so keys such as
 * `__proto__` survive until they are written as JSON text: building them as
 * JS objects first would set a prototype instead of a key.
 */
export type Json = null | boolean | number | string | Json[] | { entries: Array<[string, Json]> }

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty']

export const key = fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.constantFrom('a', 'b', 'notes', 'phase'), fc.string({ maxLength: 4 }))

export const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8, unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => ({ entries })),
  ),
})).value

export const jsonObject = fc.array(fc.tuple(key, json), { maxLength: 5 }).map((entries): Json => ({ entries }))

export function jsonText(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`
  return `{${value.entries.map(([name, item]) => `${JSON.stringify(name)}:${jsonText(item)}`).join(',')}}`
}

/** An event as JSON text: fixed fields plus any extra fields given as Json. */
export function eventText(fields: Record<string, Json | undefined>): string {
  return jsonText({ entries: Object.entries(fields).filter((entry): entry is [string, Json] => entry[1] !== undefined) })
}
