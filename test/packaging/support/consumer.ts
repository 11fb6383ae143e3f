import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from './run-command.js'
import { consumerFixtures, repoRoot } from './workspace.js'

/**
 * README examples the docs tests already keep verbatim (and check against
 * their README), copied in rather than kept here a second time. A header is
 * put first where the consumer needs one.
 */
const README_EXAMPLES = [
  // Type-checked only, never run: it listens on import (run.mjs serves the same workflow).
  { from: 'packages/server/test/docs/readme-quick-start-server.ts', to: 'server.ts', header: '' },
  { from: 'packages/react/test/support/readme-article-writer.tsx', to: 'react.tsx', header: '' },
  // This consumer's JSX is React's: the Solid component names its own runtime.
  { from: 'packages/solid/test/docs/readme-article-writer.tsx', to: 'solid.tsx', header: '/** @jsxImportSource solid-js */\n' },
]

/**
 * A project outside the workspace that installs the tarballs with npm, the
 * way an app would: nothing the workspace hoists can help it resolve a module.
 * The consumer files under test/packaging/consumer/ and README_EXAMPLES are copied in.
 */
export async function installConsumer(dir: string, dependencies: Record<string, string>): Promise<void> {
  cpSync(consumerFixtures, dir, { recursive: true })
  for (const { from, to, header } of README_EXAMPLES) writeFileSync(join(dir, to), header + readFileSync(join(repoRoot, from), 'utf8'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stepstream-consumer', private: true, type: 'module', dependencies }, null, 2))
  // --ignore-scripts: nothing here needs an install script, and one could hang or reach the network.
  await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--ignore-scripts', '--loglevel=error'], {
    cwd: dir,
    timeoutMs: 180_000,
  })
}
