/**
 * The package facts a bundler and a client app rely on: no side effects,
 * an exports map with types for '.' and './schemas', and zod reached only
 * through './schemas' (it is an optional peer, so the main entry must load
 * without it). The packed tarball itself is checked in test/packaging.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'

interface Manifest {
  sideEffects?: unknown
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  exports?: Record<string, Record<string, string>>
  typesVersions?: Record<string, Record<string, string[]>>
}

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Manifest

describe('@stepstream/protocol package.json', () => {
  it('declares no side effects and no dependencies; zod is an optional peer', () => {
    expect(manifest.sideEffects).toBe(false)
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(manifest.peerDependencies).toEqual({ zod: expect.any(String) })
    expect(manifest.peerDependenciesMeta?.zod?.optional).toBe(true)
  })

  it("exports '.' and './schemas', each with types ahead of the JavaScript", () => {
    expect(Object.keys(manifest.exports ?? {})).toEqual(['.', './schemas'])
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      const keys = Object.keys(conditions)
      expect(conditions.types, subpath).toMatch(/\.d\.ts$/)
      expect(conditions.default, subpath).toMatch(/\.js$/)
      expect(keys.indexOf('types'), subpath).toBeLessThan(keys.indexOf('default'))
    }
    // Resolvers without exports support (TypeScript's node10) find the subpath's types here.
    expect(manifest.typesVersions?.['*']?.schemas).toEqual([manifest.exports?.['./schemas']?.types])
  })
})

describe('zod stays out of the main entry', () => {
  afterEach(() => {
    vi.doUnmock('zod')
    vi.resetModules()
  })

  it("importing '@stepstream/protocol' does not load zod; '@stepstream/protocol/schemas' does", async () => {
    const loaded: string[] = []
    vi.resetModules()
    vi.doMock('zod', async (importOriginal) => {
      loaded.push('zod')
      return await importOriginal()
    })
    const main = await import('@stepstream/protocol')
    expect(typeof main.runStarted).toBe('function')
    expect(loaded).toEqual([])
    // The control: the same watch does see an entry that loads zod.
    await import('@stepstream/protocol/schemas')
    expect(loaded).toEqual(['zod'])
  })
})
