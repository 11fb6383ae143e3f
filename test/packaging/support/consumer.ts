import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from './run-command.js'
import { consumerFixtures } from './workspace.js'

/**
 * A project outside the workspace that installs the tarballs with npm, the
 * way an app would: nothing the workspace hoists can help it resolve a module.
 * The consumer files under test/packaging/consumer/ are copied in.
 */
export async function installConsumer(dir: string, dependencies: Record<string, string>): Promise<void> {
  cpSync(consumerFixtures, dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stepstream-consumer', private: true, type: 'module', dependencies }, null, 2))
  // --ignore-scripts: nothing here needs an install script, and one could hang or reach the network.
  await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--ignore-scripts', '--loglevel=error'], {
    cwd: dir,
    timeoutMs: 180_000,
  })
}
