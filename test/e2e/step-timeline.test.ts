import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * The timeline's running step, in every playground: its duration counts
 * while the step streams. (A framework that keeps a step's row as it changes,
 * as Solid's <For> over the adapter's steps does, redraws only what reads a
 * changed field, so a duration that read none of them froze at its first value.)
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** The first step's status and duration as shown, read together. */
function firstStep(playground: Playground): Promise<{ status?: string; duration?: string }> {
  return playground.page.evaluate((ids) => {
    const row = document.querySelector(`[data-testid="${ids.step}"]`)
    const shown = (id: string) => row?.querySelector(`[data-testid="${id}"]`)?.textContent?.trim()
    return { status: shown(ids.stepStatus), duration: shown(ids.stepDuration) }
  }, testIds)
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')

  test("a streaming step's duration counts while the step is still running", async (ctx) => {
    const playground = await Playground.open(browser, ctx, framework, baseUrl)
    await playground.start(`Timing in ${framework}`)
    const whileRunning = new Set<string>()
    await expect
      .poll(async () => {
        const { status, duration } = await firstStep(playground)
        if (status === 'running' && duration) whileRunning.add(duration)
        return whileRunning.size
      }, poll)
      .toBeGreaterThan(1)
  })

  test("a running step's duration keeps counting while the connection is reconnecting: the step still runs on the server", async (ctx) => {
    // The flaky switch cuts the stream, and the resume is held, as a slow network would: the page stays reconnecting.
    const playground = await Playground.open(browser, ctx, framework, baseUrl, '?flaky=1')
    let letThrough!: () => void
    const held = new Promise<void>((resolve) => (letThrough = resolve))
    ctx.onTestFinished(() => letThrough())
    const isResume = (url: URL) => url.pathname === '/api/workflow' && url.searchParams.has('runId')
    await playground.page.route(isResume, async (route) => {
      await held
      await route.continue().catch(() => {})
    })
    await playground.start(`Timing while reconnecting in ${framework}`)
    await expect.poll(() => playground.connection(), poll).toBe('reconnecting')

    const whileReconnecting = new Set<string>()
    await expect
      .poll(async () => {
        const { status, duration } = await firstStep(playground)
        if ((await playground.connection()) === 'reconnecting' && status === 'running' && duration) whileReconnecting.add(duration)
        return whileReconnecting.size
      }, poll)
      // More than the odd redraw a change of connection or announcement makes: a count.
      .toBeGreaterThanOrEqual(5)

    // Once the step ends, its duration is fixed.
    letThrough()
    await playground.page.unroute(isResume)
    await playground.byTestId(testIds.flakyToggle).uncheck()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    const finished = (await firstStep(playground)).duration
    expect(finished).toBeTruthy()
    await playground.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)))
    expect((await firstStep(playground)).duration).toBe(finished)
  })
})
