import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const consumerFixtures = fileURLToPath(new URL('../consumer/', import.meta.url))

export interface PackageJson {
  name: string
  version: string
  type?: string
  sideEffects?: boolean | string[]
  license?: string
  main?: string
  types?: string
  files?: string[]
  exports?: Record<string, unknown>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  devDependencies?: Record<string, string>
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson
}

/** Every published package: packages/* (the workspace's other members are private). */
export function workspacePackages(): { dir: string; manifest: PackageJson }[] {
  const packagesDir = join(repoRoot, 'packages')
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readPackageJson(dir) }))
}

/**
 * The version of `name` the workspace's own tests run with (pinned by the
 * lockfile), found as Node would from test/: the consumer installs the same
 * peers, so a new upstream release cannot make this test flaky.
 */
export function workspaceVersion(name: string, from = fileURLToPath(new URL('.', import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json')
    if (existsSync(manifest)) return readPackageJson(dirname(manifest)).version
    if (dirname(dir) === dir) throw new Error(`${name} is not installed in the workspace`)
  }
}
