import type { Browser, Locator, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { copy, publishSignal, testIds, type Framework, type TestId } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { approvalTitle, Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * What a screen reader user is told, in every playground. The connection
 * banners are status messages (ARIA `status`): a live region only announces
 * changes to content inside it, so the region has to be on the page before a
 * banner appears in it. A banner that brings its own `role="status"` along
 * is a new region, and most screen readers say nothing about it. A dropped
 * connection is told once it has lasted (and its recovery then), not at every
 * cut a flaky network makes and the client resumes from at once.
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

/** What the page says about this tab's connection (as against the run). */
function isAboutTheConnection(text: string): boolean {
  return text.includes(copy.reconnecting) || text.includes(copy.connectionRestored)
}

function isResumeRequest(url: URL): boolean {
  return url.pathname === '/api/workflow' && url.searchParams.has('runId')
}

function refuse(route: Route): Promise<void> {
  return route.abort('internetdisconnected')
}

/** Every resume request the page sends from now on (one per cut the client recovers from). */
function recordResumes(playground: Playground): string[] {
  const resumes: string[] = []
  playground.page.on('request', (request) => {
    if (isResumeRequest(new URL(request.url()))) resumes.push(request.url())
  })
  return resumes
}

/**
 * What is wrong with the page's headings now, as a screen reader lists them:
 * one h1; no level skipped going down the page; and a heading below h2 sits
 * under a heading one level up inside its own panel (a card's h3 otherwise
 * reads as part of whichever panel came before it, here the steps).
 */
function outlineProblems(playground: Playground): Promise<string[]> {
  return playground.page.evaluate(() => {
    const level = (heading: Element) => Number(heading.tagName.slice(1))
    const name = (heading: Element) => `${heading.tagName.toLowerCase()} "${(heading.textContent ?? '').trim()}"`
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    const problems: string[] = []
    if (headings.filter((heading) => level(heading) === 1).length !== 1) problems.push('not exactly one h1')
    let previous = 0
    for (const heading of headings) {
      if (level(heading) > previous + 1) problems.push(`${name(heading)} skips a level after h${previous}`)
      previous = level(heading)
      if (level(heading) <= 2) continue
      const panel = heading.closest('section')
      const parent = [...(panel?.querySelectorAll(`h${level(heading) - 1}`) ?? [])].find(
        (candidate) => candidate.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING,
      )
      if (!parent) problems.push(`${name(heading)} has no h${level(heading) - 1} in its panel`)
    }
    return problems
  })
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

  test('with Flaky network on, cuts the client resumes within a moment are not announced: a screen reader user is not told "reconnecting" at every one', async (ctx) => {
    const topic = `Cut quietly in ${framework}`
    const playground = await open(ctx, '?flaky=1')
    await markLiveRegions(playground)
    await recordLiveTexts(playground)
    const resumes = recordResumes(playground)
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    await playground.byTestId(testIds.approveButton).click()
    await expect.poll(() => playground.status(), poll).toBe('finished')

    // The server cuts every flaky stream within 0.8 s and the run streams for longer: cut again and again.
    expect(resumes.length).toBeGreaterThanOrEqual(2)
    const said = await liveTexts(playground)
    expect(said.filter(isAboutTheConnection)).toEqual([])
    // What the person has to hear about still is.
    expect(said).toContain(`Finished: published "${script.titleFor(topic)}"`)
    // Each drop is still drawn while it lasts, for whoever looks.
    expect((await playground.shown()).reconnectingBanner).toBe(true)
  })

  test('a connection lost for longer than a moment is announced once, and its recovery once', async (ctx) => {
    const playground = await open(ctx, '?flaky=1')
    await markLiveRegions(playground)
    await recordLiveTexts(playground)
    // The flaky switch cuts the stream, and every resume fails as if the network were down.
    await playground.page.route(isResumeRequest, refuse)
    await playground.start(`Outage told in ${framework}`)
    await expect.poll(() => liveTexts(playground), poll).toContain(copy.reconnecting)

    // Back online, before the client gives up.
    await playground.page.unroute(isResumeRequest, refuse)
    await playground.byTestId(testIds.flakyToggle).uncheck()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    await expect.poll(async () => (await liveTexts(playground)).filter(isAboutTheConnection), poll).toEqual([copy.reconnecting, copy.connectionRestored])
    expect(await playground.isShown(testIds.error)).toBe(false)
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

  test('the heading outline is valid with every card up: an approval, the output, a signal, a sleep', async (ctx) => {
    const playground = await open(ctx)
    expect(await outlineProblems(playground)).toEqual([])
    await playground.start(`Outlined in ${framework}`)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await outlineProblems(playground)).toEqual([])
    await playground.byTestId(testIds.approveButton).click()
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect(await outlineProblems(playground)).toEqual([])

    await playground.pickWorkflow('newsletter')
    await playground.start(`Outlined signal in ${framework}`)
    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    expect(await outlineProblems(playground)).toEqual([])

    await playground.byTestId(testIds.stopButton).click()
    await expect.poll(() => playground.status(), poll).toBe('aborted')
    await playground.pickWorkflow('scheduled')
    await playground.start(`Outlined sleep in ${framework}`)
    await playground.byTestId(testIds.sleepCard).waitFor({ timeout: WAIT_MS })
    expect(await outlineProblems(playground)).toEqual([])
  })

  test('what is in a field is drawn in the text colour, apart from its grey label and placeholder, and a disabled field is not', async (ctx) => {
    const playground = await open(ctx)
    const color = (id: TestId) => playground.byTestId(id).evaluate((element) => getComputedStyle(element).color)
    const placeholder = (id: TestId) => playground.byTestId(id).evaluate((element) => getComputedStyle(element, '::placeholder').color)
    const ink = await playground.page.evaluate(() => getComputedStyle(document.documentElement).color)
    expect(await color(testIds.topicInput)).toBe(ink)
    expect(await color(testIds.workflowSelect)).toBe(ink)

    await playground.start(`Ink in ${framework}`)
    // While the run is live the topic cannot be changed, and looks it.
    expect(await color(testIds.topicInput)).not.toBe(ink)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    await playground.byTestId(testIds.feedbackInput).fill('Shorter')
    expect(await color(testIds.feedbackInput)).toBe(ink)
    expect(await placeholder(testIds.feedbackInput)).not.toBe(ink)
  })

  test('Disconnect says what it does in text on the page, as its description: not only in a tooltip, which touch and many screen readers never show', async (ctx) => {
    const playground = await open(ctx)
    const disconnect = playground.page.getByRole('button', { name: copy.disconnect, exact: true })
    const describedBy = (await disconnect.getAttribute('aria-describedby')) ?? ''
    expect(describedBy).not.toBe('')
    const descriptions = describedBy.split(/\s+/).map((id) => playground.page.locator(`[id="${id}"]`))
    const texts = await Promise.all(descriptions.map((description) => description.textContent()))
    expect(texts.join(' ')).toContain(copy.disconnectHint)
    // Drawn on the page (not visually hidden): a sighted touch user reads it too.
    for (const description of descriptions) {
      expect(await description.isVisible()).toBe(true)
      const box = await description.boundingBox()
      expect(box!.width).toBeGreaterThan(1)
      expect(box!.height).toBeGreaterThan(1)
    }
    // Said once: no tooltip repeating it as a second description.
    expect(await disconnect.getAttribute('title')).toBeNull()
  })

  test('the run is in the main landmark, the title in the banner: a screen reader user can jump to either', async (ctx) => {
    const playground = await open(ctx)
    await playground.start(`Landmarks in ${framework}`)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.page.getByRole('main').count()).toBe(1)
    expect(await playground.page.getByRole('banner').getByRole('heading', { level: 1 }).count()).toBe(1)
    // Every panel, the form and the cards among them, is inside main: nothing is left outside a landmark.
    const outside = await playground.page.evaluate(() =>
      [...document.querySelectorAll('.panel, .banner')].filter((panel) => !panel.closest('main')).map((panel) => panel.className),
    )
    expect(outside).toEqual([])
  })
})
