#!/usr/bin/env node
// The one test command (`pnpm test`): type-checks every package, runs every
// vitest project, and ends with the single `N passed, N failed` line CI reads.
// Extra vitest arguments are passed through (e.g. `pnpm test -- packages/client`).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'

const outputDir = 'test-output'
const reportFile = `${outputDir}/vitest.json`
mkdirSync(outputDir, { recursive: true })
rmSync(reportFile, { force: true })

let passed = 0
let failed = 0

function run(command, args) {
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: process.env })
  return status === 0
}

const extraArgs = process.argv.slice(2).filter((arg) => arg !== '--')

if (extraArgs.length === 0) {
  console.log('\n> typecheck')
  if (run('pnpm', ['-r', 'typecheck'])) passed += 1
  else failed += 1
}

console.log('\n> vitest')
// Every project runs at once on CI's two cores, next to browsers and server
// processes: tests assert behaviour, never speed, so a slow machine gets
// generous per-test limits rather than spurious timeouts.
const limits = ['--testTimeout=60000', '--hookTimeout=120000']
const vitestOk = run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${reportFile}`, ...limits, ...extraArgs])
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  // A suite that fails to load has no failed tests of its own; count it.
  failed += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
  if (!vitestOk && report.numFailedTests === 0) failed += 1
} catch {
  failed += 1
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
