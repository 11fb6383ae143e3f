/**
 * What a value of type `T` is after a JSON round trip. A workflow body gets
 * step outputs and signal payloads that way (the same value a rebuilt run
 * reads from the journal), so this is the type `yield*` gives it: a `Date`
 * is its ISO `string` (anything with `toJSON` is what that returns), a
 * function, a symbol or `undefined` is left out of an object (so it reads
 * back as `undefined`) and is `null` in an array, a `Map` or `Set` is an
 * empty object, an `Error` keeps only the fields its subclass adds. Plain
 * JSON types come back unchanged, and so do `unknown` and `any`, which say
 * nothing to convert; no value at all (`undefined`, `void`) stays
 * `undefined`. (One thing no type can follow: a number that
 * is not finite is `null` too.)
 */
export type Jsonified<T> = T extends undefined | void ? undefined : JsonOf<T>

type JsonOf<T> =
  unknown extends T ? T
  : T extends JsonValue ? T
  : T extends { toJSON(): infer TJson } ? JsonOf<TJson>
  : T extends Unwritable | bigint ? never
  : T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> ? Record<string, never>
  // An error's name, message and stack are not enumerable: only fields a subclass adds are written.
  : T extends Error ? JsonOf<Omit<T, keyof Error>>
  : T extends readonly unknown[] ? { [K in keyof T]: JsonOf<T[K]> | WrittenAs<T[K], null> }
  : { [K in keyof T as KeptKey<K, T[K]>]: JsonOf<T[K]> | WrittenAs<T[K], undefined> }

/**
 * Already JSON: comes back as it is. Checked first so that a recursive JSON
 * type (zod's `z.json()`, say) is not taken apart member by member, which
 * would never end.
 */
type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** What JSON.stringify leaves out of an object and writes as `null` in an array. */
type Unwritable = ((...args: never[]) => unknown) | symbol | undefined | void

/** `TInstead` for the members of `TValue` that JSON cannot write (a union is taken member by member). */
type WrittenAs<TValue, TInstead> = TValue extends Unwritable ? TInstead : never

/** Symbol keys, and keys that can only hold what JSON leaves out, are not in the JSON object at all. */
type KeptKey<K, TValue> = K extends symbol ? never : [TValue] extends [Unwritable] ? never : K
