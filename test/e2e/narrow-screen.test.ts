import type { Browser, Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * On a phone-sized screen the two columns stack, and the cards that ask the
 * person for something (an approval, a signal) sit below the form, the run
 * status and the timeline: out of view when the run pauses for them. The
 * page brings the card into view by itself, in every playground.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

const phone = { width: 390, height: 844 }
const smallPhone = { width: 375, height: 667 }

/** Whether the element is wholly inside the viewport as it is scrolled now (to the pixel: layout has fractions). */
function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect()
    return box.top >= -1 && box.left >= -1 && box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1
  })
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')

  test('on a phone-sized screen, the approval card is brought into view when the run pauses for it, its buttons with it', async (ctx) => {
    const playground = await Playground.open(browser, ctx, framework, baseUrl)
    await playground.page.setViewportSize(phone)
    await playground.start(`On a phone in ${framework}`)
    const card = playground.byTestId(testIds.approvalCard)
    await card.waitFor({ timeout: WAIT_MS })
    await expect.poll(() => inView(card), poll).toBe(true)
    expect(await inView(playground.byTestId(testIds.approveButton))).toBe(true)
    // Shown, not forced on the person: focus stays where it was (the run status announces the pause).
    expect(await card.evaluate((element) => element.contains(document.activeElement))).toBe(false)
  })

  test('on a small phone, the signal card is brought into view when the run waits for it', async (ctx) => {
    const playground = await Playground.open(browser, ctx, framework, baseUrl)
    await playground.page.setViewportSize(smallPhone)
    await playground.pickWorkflow('newsletter')
    await playground.start(`Signalled on a phone in ${framework}`)
    const card = playground.byTestId(testIds.signalCard)
    await card.waitFor({ timeout: WAIT_MS })
    await expect.poll(() => inView(card), poll).toBe(true)
  })
})
