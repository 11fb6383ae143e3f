import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from './run-command.js'
import { readPackageJson, repoRoot, type PackageJson } from './workspace.js'

export interface PackedPackage {
  name: string
  tarball: string
  /** Paths inside the tarball, relative to its `package/` folder. */
  files: string[]
  /** The unpacked `package/` folder. */
  root: string
  /** package.json as published (workspace:* rewritten). */
  manifest: PackageJson
}

interface PackReport {
  name: string
  filename: string
  files: { path: string }[]
}

/** Builds every package the way a release does (dist is gitignored: a fresh clone has none). */
export async function buildPackages(): Promise<void> {
  // Two at a time: CI has two cores, shared with the other test projects.
  await runCommand('pnpm', ['-r', '--workspace-concurrency=2', '--filter', './packages/*', 'run', 'build'], { cwd: repoRoot, timeoutMs: 300_000 })
}

/** `pnpm pack` for every package into outDir, as `pnpm publish` would upload them, then unpacks each. */
export async function packPackages(outDir: string): Promise<PackedPackage[]> {
  const json = await runCommand('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', outDir, '--json'], { cwd: repoRoot, timeoutMs: 120_000 })
  const parsed = JSON.parse(json) as PackReport | PackReport[]
  const reports = Array.isArray(parsed) ? parsed : [parsed]
  return Promise.all(
    reports.map(async (report) => {
      const unpacked = join(outDir, 'unpacked', report.name.replace('/', '__'))
      mkdirSync(unpacked, { recursive: true })
      await runCommand('tar', ['-xzf', report.filename, '-C', unpacked], { cwd: outDir, timeoutMs: 30_000 })
      const root = join(unpacked, 'package')
      return { name: report.name, tarball: report.filename, files: report.files.map((file) => file.path).sort(), root, manifest: readPackageJson(root) }
    }),
  )
}
