import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * What the run controls offer around the edges of a run, in every
 * playground: the address bar only names a run the server accepted, and
 * Resume only shows when following the run again can help.
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
})
