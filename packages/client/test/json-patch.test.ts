import { describe, expect, it } from 'vitest'
import { applyStatePatch } from '@stepstream/client'

const base = () => ({
  title: 'Draft',
  tags: ['a', 'c'],
  nested: { deep: { value: 1 }, other: { untouched: true } },
  big: { items: Array.from({ length: 100 }, (_, i) => ({ i })) },
})

describe('applyStatePatch: the six RFC 6902 ops', () => {
  const cases: Array<[string, unknown[], (doc: ReturnType<typeof base>) => void]> = [
    ['add an object member', [{ op: 'add', path: '/subtitle', value: 'x' }], (d) => expect((d as Record<string, unknown>).subtitle).toBe('x')],
    ['add inserts into an array at an index', [{ op: 'add', path: '/tags/1', value: 'b' }], (d) => expect(d.tags).toEqual(['a', 'b', 'c'])],
    ['add appends with -', [{ op: 'add', path: '/tags/-', value: 'z' }], (d) => expect(d.tags).toEqual(['a', 'c', 'z'])],
    ['remove an array element shifts the rest', [{ op: 'remove', path: '/tags/0' }], (d) => expect(d.tags).toEqual(['c'])],
    ['replace a nested value', [{ op: 'replace', path: '/nested/deep/value', value: 2 }], (d) => expect(d.nested.deep.value).toBe(2)],
    ['move between branches', [{ op: 'move', from: '/nested/deep', path: '/moved' }], (d) => {
      expect((d as Record<string, unknown>).moved).toEqual({ value: 1 })
      expect('deep' in d.nested).toBe(false)
    }],
    ['copy is a deep copy', [{ op: 'copy', from: '/nested/deep', path: '/copied' }, { op: 'replace', path: '/copied/value', value: 9 }], (d) => {
      expect((d as unknown as { copied: { value: number } }).copied.value).toBe(9)
      expect(d.nested.deep.value).toBe(1)
    }],
    ['test passes on an equal value', [{ op: 'test', path: '/tags', value: ['a', 'c'] }], (d) => expect(d.tags).toEqual(['a', 'c'])],
    ['escaped pointer segments', [{ op: 'add', path: '/a~1b~0c', value: 1 }], (d) => expect((d as Record<string, unknown>)['a/b~c']).toBe(1)],
    ['replace the root', [{ op: 'replace', path: '', value: { fresh: true } }], (d) => expect(d).toEqual({ fresh: true })],
  ]

  it.each(cases)('%s', (_, patch, check) => {
    const document = base()
    const before = structuredClone(document)
    check(applyStatePatch(document, patch))
    expect(document).toEqual(before)
  })
})

describe('applyStatePatch: atomicity', () => {
  const failing: Array<[string, unknown[]]> = [
    ['a failing test op after a successful op', [{ op: 'replace', path: '/title', value: 'changed' }, { op: 'test', path: '/title', value: 'nope' }]],
    ['remove of a missing path', [{ op: 'add', path: '/x', value: 1 }, { op: 'remove', path: '/missing' }]],
    ['replace of a missing path', [{ op: 'replace', path: '/nested/missing', value: 1 }]],
    ['add below a missing parent', [{ op: 'add', path: '/no/such/parent', value: 1 }]],
    ['array index past the end', [{ op: 'add', path: '/tags/5', value: 'x' }]],
    ['non-numeric array index', [{ op: 'add', path: '/tags/one', value: 'x' }]],
    // A plain object inherits these members: they are no key of the state, so a client that lacks one diverged.
    ['remove of a key the state lacks but every object inherits', [{ op: 'remove', path: '/toString' }]],
    ['replace of a key the state lacks but every object inherits', [{ op: 'replace', path: '/nested/valueOf', value: 1 }]],
    ['move from a missing path', [{ op: 'move', from: '/ghost', path: '/x' }]],
    ['copy from a missing path', [{ op: 'copy', from: '/ghost', path: '/x' }]],
    ['a move of the root into one of its children (would make the state circular)', [{ op: 'move', from: '', path: '/x' }]],
    ['a move into one of its own children', [{ op: 'move', from: '/nested', path: '/nested/deep/x' }]],
    ['unknown op', [{ op: 'merge', path: '/x', value: 1 }]],
    ['missing value', [{ op: 'add', path: '/x' }]],
    ['a non-object operation', ['add']],
    ['a path without a leading slash', [{ op: 'add', path: 'x', value: 1 }]],
    ['a path that is not a string', [{ op: 'add', path: 5, value: 1 }]],
    ['a move whose from is not a string', [{ op: 'move', from: ['tags'], path: '/x' }]],
    ['a null operation', [null]],
    ['an array as an operation', [['add', '/x', 1]]],
  ]

  it.each(failing)('%s fails with state_patch_failed and changes nothing', (_, patch) => {
    const document = base()
    const before = structuredClone(document)
    expect(() => applyStatePatch(document, patch)).toThrow(expect.objectContaining({ code: 'state_patch_failed' }))
    expect(document).toEqual(before)
  })

  it('rejects a delta that is not an array', () => {
    expect(() => applyStatePatch({}, { op: 'add' } as unknown as unknown[])).toThrow(expect.objectContaining({ code: 'state_patch_failed' }))
  })
})

describe('applyStatePatch: prototype pollution', () => {
  const attacks: unknown[][] = [
    [{ op: 'add', path: '/__proto__/polluted', value: 'yes' }],
    [{ op: 'add', path: '/constructor/prototype/polluted', value: 'yes' }],
    [{ op: 'add', path: '/constructor/polluted', value: 'yes' }],
    [{ op: 'replace', path: '/nested/__proto__', value: { polluted: 'yes' } }],
    [{ op: 'copy', from: '/__proto__', path: '/x' }],
    [{ op: 'move', from: '/constructor', path: '/x' }],
    [{ op: 'add', path: '/tags/constructor/prototype/polluted', value: 'yes' }],
    // Paths that end in a forbidden key: fast-json-patch alone would add them as
    // own keys (no pollution, but PROTOCOL §5 refuses these paths outright).
    [{ op: 'add', path: '/constructor', value: { polluted: 'yes' } }],
    [{ op: 'add', path: '/prototype', value: 'yes' }],
    [{ op: 'add', path: '/nested/constructor', value: 'yes' }],
    [{ op: 'copy', from: '/nested', path: '/constructor' }],
    [{ op: 'move', from: '/title', path: '/nested/prototype' }],
  ]

  it.each(attacks.map((patch) => [JSON.stringify(patch), patch] as const))('refuses %s', (_, patch) => {
    const document = base()
    const before = structuredClone(document)
    expect(() => applyStatePatch(document, patch)).toThrow(expect.objectContaining({ code: 'state_patch_failed' }))
    expect(document).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object as unknown as Record<string, unknown>).polluted).toBeUndefined()
    expect((Array.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('applyStatePatch: structural sharing', () => {
  it('copies only the patched path; untouched branches keep their identity', () => {
    const document = base()
    const next = applyStatePatch(document, [{ op: 'replace', path: '/nested/deep/value', value: 2 }])
    expect(next).not.toBe(document)
    expect(next.nested).not.toBe(document.nested)
    expect(next.nested.deep).not.toBe(document.nested.deep)
    expect(next.nested.other).toBe(document.nested.other)
    expect(next.big).toBe(document.big)
    expect(next.tags).toBe(document.tags)
  })

  it('appending to one array leaves sibling branches shared', () => {
    const document = base()
    const next = applyStatePatch(document, [{ op: 'add', path: '/tags/-', value: 'd' }])
    expect(next.tags).not.toBe(document.tags)
    expect(next.big).toBe(document.big)
    expect(next.nested).toBe(document.nested)
  })

  it('a test-only patch returns an equal document', () => {
    const document = base()
    const next = applyStatePatch(document, [{ op: 'test', path: '/title', value: 'Draft' }])
    expect(next).toEqual(document)
    expect(next.big).toBe(document.big)
  })
})
