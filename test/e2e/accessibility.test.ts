import type { Browser, Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { publishSignal, testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { approvalTitle, Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * What a screen reader user is told, in every playground. The connection
 * banners are status messages (ARIA `status`): a live region only announces
 * changes to content inside it, so the region has to be on the page before a
 * banner appears in it. A banner that brings its own `role="status"` along
 * is a new region, and most screen readers say nothing about it.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

const liveRegions = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]'

/** Marks the live regions on the page now; `announcedIn` then finds which of them a banner appeared in. */
async function markLiveRegions(playground: Playground): Promise<number> {
  return playground.page.evaluate((selector) => {
    const regions = [...document.querySelectorAll<HTMLElement>(selector)]
    for (const region of regions) region.dataset.e2eLiveRegion = 'on the page from the start'
    return regions.length
  }, liveRegions)
}

/**
 * Records, for each test id, whether the element was ever shown inside one
 * of the live regions marked by `markLiveRegions` (a banner may be up for a
 * moment only, so this watches every DOM change).
 */
async function watchAnnounced(playground: Playground, ids: string[]): Promise<void> {
  await playground.page.evaluate((ids) => {
    const seen: Record<string, { shown: boolean; announced: boolean }> = {}
    for (const id of ids) seen[id] = { shown: false, announced: false }
    ;(window as unknown as { __announced: typeof seen }).__announced = seen
    const check = () => {
      for (const id of ids) {
        const element = document.querySelector(`[data-testid="${id}"]`)
        if (!element) continue
        seen[id]!.shown = true
        const region = element.closest('[data-e2e-live-region]')
        if (region && region !== element) seen[id]!.announced = true
      }
    }
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true })
  }, ids)
}

async function announced(playground: Playground): Promise<Record<string, { shown: boolean; announced: boolean }>> {
  return playground.page.evaluate(() => (window as unknown as { __announced: Record<string, { shown: boolean; announced: boolean }> }).__announced)
}

/**
 * Records what the live regions marked by `markLiveRegions` say, as each
 * change leaves it: one entry per new text of a region (a text drawn again
 * unchanged is not news, and is not recorded).
 */
async function recordLiveTexts(playground: Playground): Promise<void> {
  await playground.page.evaluate(() => {
    const said: string[] = []
    const last = new Map<Element, string>()
    ;(window as unknown as { __said: string[] }).__said = said
    new MutationObserver(() => {
      for (const region of document.querySelectorAll('[data-e2e-live-region]')) {
        const text = (region.textContent ?? '').replace(/\s+/g, ' ').trim()
        if (text === (last.get(region) ?? '')) continue
        last.set(region, text)
        if (text) said.push(text)
      }
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

async function liveTexts(playground: Playground): Promise<string[]> {
  return playground.page.evaluate(() => (window as unknown as { __said: string[] }).__said)
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')
  const open = (ctx: Parameters<typeof Playground.open>[1], query?: string) => Playground.open(browser, ctx, framework, baseUrl, query)

  test('the disconnected banner is announced: it appears inside a live region that was on the page before it', async (ctx) => {
    const playground = await open(ctx)
    expect(await markLiveRegions(playground)).toBeGreaterThan(0)
    // Empty, the region takes no room: the right column's first panel lines up with the form on the left.
    const top = async (locator: Locator) => (await locator.boundingBox())?.y
    const formTop = await top(playground.byTestId(testIds.workflowSelect).locator('xpath=ancestor::form[1]'))
    expect(await top(playground.byTestId(testIds.text).locator('xpath=ancestor::section[1]'))).toBe(formTop)
    await watchAnnounced(playground, [testIds.disconnected])
    await playground.start(`Announced in ${framework}`)
    await expect.poll(() => playground.byTestId(testIds.disconnectButton).isEnabled(), poll).toBe(true)
    await playground.byTestId(testIds.disconnectButton).click()

    await playground.byTestId(testIds.disconnected).waitFor({ timeout: WAIT_MS })
    expect(await announced(playground)).toEqual({ [testIds.disconnected]: { shown: true, announced: true } })
    // Its Resume button is a button with a name, reachable from the banner.
    expect(await playground.page.getByRole('button', { name: 'Resume' }).count()).toBe(1)
  })

  test('the reconnecting banner is announced: it appears inside a live region that was on the page before it', async (ctx) => {
    const playground = await open(ctx, '?flaky=1')
    expect(await markLiveRegions(playground)).toBeGreaterThan(0)
    await watchAnnounced(playground, [testIds.reconnecting])
    await playground.start(`Reconnecting aloud in ${framework}`)

    // The flaky server cuts every stream within 0.8 s and writing takes longer: the banner comes up at least once.
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await announced(playground)).toEqual({ [testIds.reconnecting]: { shown: true, announced: true } })
  })

  test('a run that stops to wait for the person, and its end, are announced once each: not only drawn', async (ctx) => {
    const topic = `Told in ${framework}`
    const playground = await open(ctx)
    await markLiveRegions(playground)
    await recordLiveTexts(playground)
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    const waiting = `Waiting for your approval: ${approvalTitle(topic)}`
    await expect.poll(() => liveTexts(playground), poll).toContain(waiting)

    await playground.byTestId(testIds.approveButton).click()
    await expect.poll(() => playground.status(), poll).toBe('finished')
    const finished = `Finished: published "${script.titleFor(topic)}"`
    await expect.poll(() => liveTexts(playground), poll).toContain(finished)
    // Each said once: the streaming that went on around them did not say them again.
    const said = await liveTexts(playground)
    expect(said.filter((text) => text === waiting)).toHaveLength(1)
    expect(said.filter((text) => text === finished)).toHaveLength(1)
  })

  test('a wait for a signal is announced', async (ctx) => {
    const playground = await open(ctx)
    await playground.pickWorkflow('newsletter')
    await markLiveRegions(playground)
    await recordLiveTexts(playground)
    await playground.start(`Signal told in ${framework}`)
    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    await expect.poll(() => liveTexts(playground), poll).toContain(`Waiting for a signal: ${publishSignal.name}`)
  })
})
