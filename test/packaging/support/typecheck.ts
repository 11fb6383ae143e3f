import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { runCommand } from './run-command.js'

export interface TypecheckCase {
  name: string
  /** node10: the legacy resolution older apps still use; it ignores `exports`, so subpaths need `typesVersions`. */
  moduleResolution: 'bundler' | 'nodenext' | 'node10'
  /** A browser app has the DOM lib; a Node service has @types/node and no DOM; a full-stack app has both. */
  environment: 'browser' | 'node' | 'full-stack'
  files: string[]
}

/** The workspace's TypeScript (pinned by the lockfile), run over the consumer's files and node_modules. */
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/** Type-checks `files` in the consumer as an app with this configuration would; rejects with tsc's errors. */
export async function typecheckConsumer(consumerDir: string, check: TypecheckCase): Promise<void> {
  const dom = check.environment !== 'node'
  const node = check.environment !== 'browser'
  const tsconfig = {
    compilerOptions: {
      strict: true,
      // The point of the check: our .d.ts files are type-checked as a consumer's
      // default (skipLibCheck: false) would, not trusted.
      skipLibCheck: false,
      noEmit: true,
      target: 'ES2022',
      module: { bundler: 'preserve', nodenext: 'nodenext', node10: 'esnext' }[check.moduleResolution],
      // Apps on node10 set it (zod's CommonJS typings default-import their locales).
      ...(check.moduleResolution === 'node10' ? { esModuleInterop: true } : {}),
      moduleResolution: check.moduleResolution,
      lib: dom ? ['ES2022', 'DOM', 'DOM.Iterable'] : ['ES2022'],
      types: node ? ['node'] : [],
      // React's runtime; solid.tsx picks Solid's with a pragma.
      jsx: 'react-jsx',
    },
    files: check.files,
  }
  const file = `tsconfig.${check.name}.json`
  writeFileSync(join(consumerDir, file), JSON.stringify(tsconfig, null, 2))
  await runCommand(process.execPath, [tsc, '-p', file, '--pretty', 'false'], { cwd: consumerDir, timeoutMs: 150_000 })
}
