import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import ts from 'typescript'
import { importedPackages } from './bare-imports.js'
import type { PackedPackage } from './pack.js'

const RUNTIME_CONDITIONS = ['import', 'require', 'default', 'svelte', 'browser', 'node']

/** Every file path an `exports` value names (conditions nested any depth). */
export function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets)
  return []
}

/** Export entries where `types` comes after a runtime condition: TypeScript takes the first match, so it would look beside the JS. */
export function typesNotFirst(exports: Record<string, unknown>): string[] {
  return Object.entries(exports).flatMap(([subpath, conditions]) => {
    if (!conditions || typeof conditions !== 'object') return []
    const keys = Object.keys(conditions)
    const types = keys.indexOf('types')
    const firstRuntime = keys.findIndex((key) => RUNTIME_CONDITIONS.includes(key))
    return types === -1 || (firstRuntime !== -1 && firstRuntime < types) ? [subpath] : []
  })
}

/** `file: package` for each bare import in the built files that is neither a dependency nor a peer. */
export function undeclaredImports(pkg: PackedPackage): string[] {
  const { dependencies = {}, peerDependencies = {} } = pkg.manifest
  const declared = new Set([pkg.name, ...Object.keys(dependencies), ...Object.keys(peerDependencies)])
  return pkg.files
    .filter((file) => /\.(m?js|d\.ts)$/.test(file))
    .flatMap((file) => importedPackages(join(pkg.root, file)).map((name) => `${file}: ${name}`))
    .filter((entry) => !declared.has(entry.slice(entry.indexOf(': ') + 2)))
}

/** The packages a JS entry loads, following its relative imports (shared chunks included). */
export function packagesLoadedBy(entry: string): string[] {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const name of importedPackages(file)) packages.add(name)
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) if (fileName.startsWith('.')) visit(join(dirname(file), fileName))
  }
  visit(entry)
  return [...packages].sort()
}

/** Problems with the source maps: a map must carry its sources (src/ is not shipped), a JS file's map must exist. */
export function sourceMapProblems(pkg: PackedPackage): string[] {
  const problems: string[] = []
  for (const file of pkg.files) {
    const path = join(pkg.root, file)
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] }
      map.sources.forEach((source, i) => {
        const inlined = typeof map.sourcesContent?.[i] === 'string'
        if (!inlined && !existsSync(join(dirname(path), source))) problems.push(`${file}: ${source} is neither inlined nor shipped`)
      })
    } else if (file.endsWith('.js')) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(path, 'utf8'))?.[1]
      if (url && !url.startsWith('data:') && !existsSync(join(dirname(path), url))) problems.push(`${file}: its map ${url} is not shipped`)
    }
  }
  return problems
}
