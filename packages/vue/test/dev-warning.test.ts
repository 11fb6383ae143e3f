// @vitest-environment node
import { build } from 'esbuild'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'

/**
 * The "called outside a scope" warning is for development. An app's bundler
 * tells production from development by replacing `process.env.NODE_ENV`
 * (Vite, webpack, esbuild all do), and the browser has no `process` to ask
 * at run time: so the check must be one that replacement settles. Each test
 * bundles the adapter as an app would (Vue and the client in the bundle) and
 * misuses the bundled useWorkflow.
 */
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const dir = await mkdtemp(join(tmpdir(), 'stepstream-vue-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

async function bundledUseWorkflow(nodeEnv: 'production' | 'development'): Promise<(options: object) => unknown> {
  const result = await build({
    entryPoints: [source('../src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    alias: { '@stepstream/client': source('../../client/src/index.ts'), '@stepstream/protocol': source('../../protocol/src/index.ts') },
    define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
    logLevel: 'silent',
  })
  const file = join(dir, `${nodeEnv}.mjs`)
  await writeFile(file, result.outputFiles[0]!.text)
  const bundled = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { useWorkflow: (options: object) => unknown }
  return bundled.useWorkflow
}

/** What a misused useWorkflow (no component, no effect scope) warns in that bundle. */
async function warningsOutsideAScope(nodeEnv: 'production' | 'development'): Promise<string[]> {
  const useWorkflow = await bundledUseWorkflow(nodeEnv)
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    useWorkflow({ connection: { send: () => Promise.reject(new Error('not used')) } })
    return warn.mock.calls.map((call) => String(call[0]))
  } finally {
    warn.mockRestore()
  }
}

describe('the outside-a-scope warning in an app bundle', () => {
  it('is not shown by a production bundle', async () => {
    expect(await warningsOutsideAScope('production')).toEqual([])
  })

  it('is shown by a development bundle', async () => {
    const warnings = await warningsOutsideAScope('development')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/outside a component setup\(\)/)
  })
})
