import { readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import ts from 'typescript'

/**
 * The packages a built file imports (JS or .d.ts; static, dynamic, re-exports,
 * `import("x")` types), by package name. Read with TypeScript's own scanner
 * rather than a regex, so a comment or string that mentions a module does not count.
 */
export function importedPackages(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  const names = importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('/') && !isBuiltin(specifier))
    .map(packageName)
  return [...new Set(names)].sort()
}

/** '@scope/name/sub/path' -> '@scope/name'; 'name/sub' -> 'name'. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}
