import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { startPlaygroundServer } from '../../playgrounds/server/src/index.js'
import { assertChromium } from './chromium.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Words stream this fast in the tests: quick, but slow enough to reload or
 * cut mid-step (writer + editor take about 1.6 s, longer than any flaky
 * stream lives, so the flaky test always sees at least one cut).
 */
export const E2E_PACE_MS = 15
export const E2E_FLAKY_CUT_MS: [number, number] = [150, 800]

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

/**
 * Builds the five playgrounds with Vite and serves them, with the demo API,
 * from one server on an ephemeral loopback port: the browser sees one origin,
 * as it would behind a real deployment.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertChromium()
  const build = spawnSync('pnpm', ['--filter', './playgrounds/*', '--workspace-concurrency=2', 'run', 'build'], {
    cwd: repoRoot,
    // vitest sets NODE_ENV=test, which would give the apps React's and Vue's development builds.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (build.status !== 0) throw new Error(`Building the playgrounds failed (exit ${build.status})`)

  const server = await startPlaygroundServer({ port: 0, paceMs: E2E_PACE_MS, flakyCutMs: E2E_FLAKY_CUT_MS, serveBuiltApps: true })
  project.provide('baseUrl', server.url)
  return () => server.close()
}
