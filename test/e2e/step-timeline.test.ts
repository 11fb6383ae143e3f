import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks } from './playground.js'

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
})
