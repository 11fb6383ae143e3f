/**
 * The README's "Running several server processes" example, verbatim: two
 * copies of it as child processes on one Redis; a run started on one is
 * approved on the other.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, expect, it } from 'vitest'
import { freePort } from '../scripts/redis-server.mjs'
import { approvalIdOf, post, runIdOf } from './cluster/sse.js'
import { redisUrl } from './helpers.js'

const cache = fileURLToPath(new URL('../node_modules/.cache/stepstream-redis-test/', import.meta.url))
const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
})

function readmeExample(): string {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
  const section = readme.slice(readme.indexOf('## Running several server processes'))
  const match = /```ts\n([\s\S]*?)```/.exec(section)
  if (!match) throw new Error('README has no example under "Running several server processes"')
  return match[1]!
}

async function startCopy(entry: string): Promise<string> {
  const port = await freePort()
  const child = spawn(process.execPath, [entry], { env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl() }, stdio: 'inherit' })
  children.push(child)
  const url = `http://127.0.0.1:${port}/api/workflow`
  // The example prints nothing; it is up once it answers.
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`README server exited with ${child.exitCode}`)
    try {
      await fetch(url)
      return url
    } catch {
      if (attempt > 200) throw new Error('README server did not come up')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

it('runs as written: start on one copy, approve on the other', async () => {
  mkdirSync(cache, { recursive: true })
  writeFileSync(`${cache}readme-server.ts`, readmeExample())
  await build({
    entryPoints: [`${cache}readme-server.ts`],
    outfile: `${cache}readme-server.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@stepstream/source'],
    external: ['ioredis'],
    nodePaths: [fileURLToPath(new URL('../node_modules/', import.meta.url))],
    logLevel: 'silent',
  })
  const [one, two] = await Promise.all([startCopy(`${cache}readme-server.mjs`), startCopy(`${cache}readme-server.mjs`)])
  const first = await post(one, { input: null })
  const second = await post(two, { runId: runIdOf(first), approval: { approvalId: approvalIdOf(first), approved: true } })
  expect(second.events.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', result: { article: 'About rivers' } })
})
