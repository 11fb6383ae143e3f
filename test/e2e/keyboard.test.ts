import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework, type TestId } from '../../playgrounds/shared/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * The playgrounds driven from the keyboard alone, in every app. A control
 * pressed with Enter or Space often goes away (Start and the topic field are
 * disabled while a run is live, the approval card leaves with the decision,
 * Resume with the banner): focus must not fall to the page, where a keyboard
 * or screen reader user loses their place. It goes to the run's status.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** What has focus: its test id, `body` when nothing does. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement
    if (!element || element === document.body) return 'body'
    return (element as HTMLElement).dataset.testid ?? `${element.tagName.toLowerCase()} without a test id`
  })
}

/** Focuses the control and presses the key on it, as a keyboard user would. */
async function press(control: Locator, key: 'Enter' | ' '): Promise<void> {
  await control.focus({ timeout: WAIT_MS })
  await control.page().keyboard.press(key === ' ' ? 'Space' : key)
}

async function expectFocusOnRunStatus(playground: Playground): Promise<void> {
  await expect.poll(() => focused(playground.page), poll).toBe(testIds.statusBar satisfies TestId)
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')
  const open = (ctx: Parameters<typeof Playground.open>[1], query?: string) => Playground.open(browser, ctx, framework, baseUrl, query)

  test('a control pressed from the keyboard that goes away hands focus to the run status: start, disconnect, resume, request changes, approve, new run', async (ctx) => {
    const playground = await open(ctx)
    const { page } = playground
    await playground.byTestId(testIds.topicInput).fill(`Keyboard in ${framework}`)
    // Enter in the topic field starts the run; the field and Start are disabled while it is live.
    await press(playground.byTestId(testIds.topicInput), 'Enter')
    await expectFocusOnRunStatus(playground)
    // The status region has a name, so a screen reader says what it landed on.
    expect(await playground.byTestId(testIds.statusBar).getAttribute('aria-label')).toBeTruthy()

    await expect.poll(() => playground.byTestId(testIds.disconnectButton).isEnabled(), poll).toBe(true)
    await press(playground.byTestId(testIds.disconnectButton), 'Enter')
    await playground.byTestId(testIds.resumeButton).waitFor({ timeout: WAIT_MS })
    await expectFocusOnRunStatus(playground)

    await press(playground.byTestId(testIds.resumeButton), 'Enter')
    await expect.poll(() => playground.isShown(testIds.resumeButton), poll).toBe(false)
    await expectFocusOnRunStatus(playground)

    // From the status, Tab reaches the approval card once it is up.
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe(testIds.feedbackInput)
    await page.keyboard.type('Shorter, please')
    await press(playground.byTestId(testIds.requestChangesButton), 'Enter')
    await expect.poll(() => playground.status(), poll).not.toBe('paused')
    await expectFocusOnRunStatus(playground)

    await expect.poll(async () => (await playground.state()).revision, poll).toBe(1)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    await press(playground.byTestId(testIds.approveButton), ' ')
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    await expectFocusOnRunStatus(playground)

    await expect.poll(() => playground.status(), poll).toBe('finished')
    await press(playground.byTestId(testIds.resetButton), 'Enter')
    await expect.poll(() => playground.status(), poll).toBe('idle')
    await expectFocusOnRunStatus(playground)
    // Back up the form from there: Start is the first enabled control before the status.
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe(testIds.startButton)
  })

  test('Stop and Publish now, pressed from the keyboard, hand focus to the run status', async (ctx) => {
    const playground = await open(ctx)
    await playground.start(`Stopped by keyboard in ${framework}`)
    await expect.poll(() => playground.byTestId(testIds.stopButton).isEnabled(), poll).toBe(true)
    await press(playground.byTestId(testIds.stopButton), 'Enter')
    await expect.poll(() => playground.status(), poll).toBe('aborted')
    await expectFocusOnRunStatus(playground)

    await playground.pickWorkflow('newsletter')
    await playground.start(`Signalled by keyboard in ${framework}`)
    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    await press(playground.byTestId(testIds.signalButton), ' ')
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    await expectFocusOnRunStatus(playground)
  })

  test('the approval card reads title and description first, then the feedback (described by them), then the button that sends it, then Approve', async (ctx) => {
    const playground = await open(ctx)
    const { page } = playground
    await playground.start(`Card order in ${framework}`)
    const card = playground.byTestId(testIds.approvalCard)
    await card.waitFor({ timeout: WAIT_MS })
    // What the card asks comes before what it asks for, in reading order.
    const readingOrder = await card.evaluate((element) =>
      [...element.querySelectorAll('h1, h2, h3, h4, p, textarea, button')].map((node) => (node as HTMLElement).dataset.testid ?? node.tagName.toLowerCase()),
    )
    expect(readingOrder).toEqual(expect.arrayContaining([testIds.approvalTitle, 'p']))
    expect(readingOrder.slice(0, 2)).toEqual([testIds.approvalTitle, 'p'])
    expect(readingOrder.slice(2)).toEqual([testIds.feedbackInput, testIds.requestChangesButton, testIds.approveButton])
    expect(await page.getByRole('textbox', { name: 'Feedback for the editor' }).count()).toBe(1)
    // Tab skips the title and description (they are text, not controls): the card is a region named by
    // its title, announced as focus enters it, and the field is described by what the card asks.
    const title = (await playground.byTestId(testIds.approvalTitle).textContent()) ?? ''
    expect(await page.getByRole('region', { name: title }).getByTestId(testIds.feedbackInput).count()).toBe(1)
    const description = await playground.byTestId(testIds.feedbackInput).evaluate((field) =>
      (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
    )
    expect(description).toMatch(/^Revision 0, \d+ words\. Approve to publish, or request changes/)

    // From the run status, where focus lands as the run pauses, Tab goes to the feedback first.
    await playground.byTestId(testIds.statusBar).focus()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe(testIds.feedbackInput)
    // Nothing typed, nothing to send: Request changes is not offered, Tab goes on to Approve.
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe(testIds.approveButton)
    // Feedback typed: the next Tab reaches the button that sends it, not Approve, which would drop it.
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.type('More examples, please')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe(testIds.requestChangesButton)
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe(testIds.approveButton)
    // Drawn in the order Tab visits them.
    const left = async (id: TestId) => (await playground.byTestId(id).boundingBox())?.x ?? Number.NaN
    expect(await left(testIds.requestChangesButton)).toBeLessThan(await left(testIds.approveButton))
  })
})
