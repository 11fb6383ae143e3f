import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testIds } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, WAIT_MS } from './playground.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const STARTUP_MS = 90_000

/**
 * `pnpm dev` as a newcomer runs it: the demo server plus five Vite dev
 * servers that proxy /api to it. The playgrounds suite covers the apps'
 * behaviour on their builds; this checks the command itself, and that a
 * stream cut behind the dev proxy still resumes.
 */
describe('pnpm dev', () => {
  let dev: ChildProcess
  let output = ''
  let urls: Array<{ label: string; url: string }> = []
  let browser: Browser

  beforeAll(async () => {
    dev = spawn(process.execPath, ['scripts/dev.mjs'], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'development', STEPSTREAM_PACE_MS: '15' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const listed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pnpm dev printed no URLs within ${STARTUP_MS} ms:\n${output}`)), STARTUP_MS)
      const read = (chunk: Buffer) => {
        output += chunk.toString()
        urls = [...output.matchAll(/^ {2}(React|Vue|Svelte|Solid|Vanilla) +(http:\/\/127\.0\.0\.1:\d+\/)$/gm)].map(([, label, url]) => ({ label: label!, url: url! }))
        if (urls.length === 5) {
          clearTimeout(timer)
          resolve()
        }
      }
      dev.stdout!.on('data', read)
      dev.stderr!.on('data', read)
      dev.once('exit', (code) => reject(new Error(`pnpm dev exited (${code}) before listing its URLs:\n${output}`)))
    })
    browser = await launchChromium()
    await listed
  }, STARTUP_MS + 10_000)

  afterAll(async () => {
    await browser?.close()
    if (dev && dev.exitCode === null) {
      const exited = new Promise((resolve) => dev.once('exit', resolve))
      dev.kill('SIGTERM')
      await exited
    }
  })

  test('lists the five playgrounds, React first, and each one loads', async (ctx) => {
    expect(urls.map(({ label }) => label)).toEqual(['React', 'Vue', 'Svelte', 'Solid', 'Vanilla'])
    for (const { label, url } of urls) {
      const page = await browser.newPage()
      ctx.onTestFinished(() => page.close())
      await page.goto(url)
      await expect.poll(() => page.getByTestId(testIds.framework).textContent(), { timeout: WAIT_MS }).toBe(label)
    }
  })

  test('a stream cut behind the Vite proxy resumes to the same text', async (ctx) => {
    const react = urls[0]!.url
    const topic = 'Dev proxy'
    const playground = await Playground.openUrl(browser, ctx, 'react', `${react}?flaky=1`)
    const resumes: string[] = []
    playground.page.on('request', (request) => {
      if (request.method() === 'GET' && request.url().includes('/api/workflow?')) resumes.push(request.url())
    })
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.text()).toBe(script.editedText(topic, 0))
    expect(resumes.length).toBeGreaterThan(0)
  })
})
