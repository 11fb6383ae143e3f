import type { Browser, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * What the run controls offer around the edges of a run, in every
 * playground: the address bar only names a run the server accepted, Resume
 * only shows when following the run again can help, and Stop still works
 * when this tab lost the run but the server did not.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** Longer than the 200 characters the demo workflows accept: the server refuses the start with `400 invalid_input`. */
const tooLongTopic = 'A topic that goes on and on '.repeat(10)

function isResumeRequest(url: URL): boolean {
  return url.pathname === '/api/workflow' && url.searchParams.has('runId')
}

function refuse(route: Route): Promise<void> {
  return route.abort('internetdisconnected')
}

/**
 * Starts an article run and makes this tab lose it while the server run goes
 * on: the flaky switch cuts the stream, and every resume fails as if the
 * network were down, until the client gives up with `connection_lost`.
 * Returns a way back online (no more failed resumes, no more cuts).
 */
async function loseConnectionMidRun(playground: Playground, topic: string): Promise<() => Promise<void>> {
  await playground.page.route(isResumeRequest, refuse)
  await playground.start(topic)
  await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
  expect(await playground.byTestId(testIds.error).textContent()).toContain('connection_lost')
  expect(await playground.status()).toBe('error')
  return async () => {
    await playground.page.unroute(isResumeRequest, refuse)
    await playground.byTestId(testIds.flakyToggle).uncheck()
  }
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')
  const open = (ctx: Parameters<typeof Playground.open>[1], query?: string) => Playground.open(browser, ctx, framework, baseUrl, query)

  test('a refused start leaves no run id in the address bar and offers no Resume, so a reload starts clean', async (ctx) => {
    const playground = await open(ctx)
    await playground.start(tooLongTopic)

    await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
    expect(await playground.byTestId(testIds.error).textContent()).toContain('invalid_input')
    expect(await playground.status()).toBe('error')
    expect(playground.runIdInUrl()).toBeNull()
    // No run exists on the server: there is nothing to resume.
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)

    await playground.page.reload()
    await playground.byTestId(testIds.framework).waitFor({ timeout: WAIT_MS })
    expect(await playground.status()).toBe('idle')
    expect(await playground.isShown(testIds.error)).toBe(false)
  })

  test('after a lost connection Stop and Resume are offered, and Resume follows the run to its pause', async (ctx) => {
    const topic = `Lost and resumed in ${framework}`
    const playground = await open(ctx, '?flaky=1')
    const backOnline = await loseConnectionMidRun(playground, topic)
    // The run goes on without this tab: it can be stopped, or followed again.
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(true)
    expect(await playground.isShown(testIds.resumeButton)).toBe(true)

    await backOnline()
    await playground.byTestId(testIds.resumeButton).click()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.status()).toBe('paused')
    expect(await playground.text()).toBe(script.editedText(topic, 0))
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'editor', status: 'finished' },
      { name: `Publish "${script.titleFor(topic)}"?`, status: 'waiting' },
    ])
    // Followed again, with its connection complete: nothing left to resume.
    expect(await playground.isShown(testIds.error)).toBe(false)
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
  })

  test('after a lost connection Stop aborts the run on the server, and an aborted run offers no Resume', async (ctx) => {
    const topic = `Lost and stopped in ${framework}`
    const playground = await open(ctx, '?flaky=1')
    const backOnline = await loseConnectionMidRun(playground, topic)
    await backOnline()
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(true)
    const aborted = playground.page.waitForResponse(
      (response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('"abort":true'),
      { timeout: WAIT_MS },
    )
    await playground.byTestId(testIds.stopButton).click()
    // The server took the abort (before the reload below, which would cancel a request still in flight).
    expect((await aborted).status()).toBe(202)

    await expect.poll(() => playground.status(), poll).toBe('aborted')
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(false)

    // The server's log says so too: a reload replays the run, and it ends aborted.
    const runId = playground.runIdInUrl()
    expect(runId).not.toBeNull()
    await playground.page.reload()
    await expect.poll(async () => (await playground.byTestId(testIds.runId).textContent())?.trim(), poll).toBe(runId)
    await expect.poll(() => playground.status(), poll).toBe('aborted')
    expect(await playground.byTestId(testIds.error).textContent()).toContain('aborted')
    expect(await playground.isShown(testIds.approvalCard)).toBe(false)
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
  })
})
