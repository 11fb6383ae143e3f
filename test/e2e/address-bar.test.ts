import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * What the address bar says, in every playground the same: it is left as
 * typed until the user does something, then it names the workflow, the
 * flaky switch when on, the topic last started and the run the server took
 * on (so a reload attaches to it, with its topic in the form), and nothing
 * else.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

function query(playground: Playground): Record<string, string> {
  return Object.fromEntries(new URL(playground.page.url()).searchParams)
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')
  const open = (ctx: Parameters<typeof Playground.open>[1], search = '') => Playground.open(browser, ctx, framework, baseUrl, search)

  test.for(['', '?flaky=1', '?workflow=newsletter'])('opening the page at "%s" leaves the address bar as it was typed', async (search, ctx) => {
    const playground = await open(ctx, search)
    // Let any effect that would rewrite it run: the page has drawn its form and settled.
    await playground.byTestId(testIds.startButton).waitFor({ timeout: WAIT_MS })
    await playground.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))))
    expect(playground.page.url()).toBe(`${baseUrl}/${framework}/${search}`)
  })

  test('the address bar names the workflow, the flaky switch and the accepted run, the same way in every app', async (ctx) => {
    const playground = await open(ctx)
    await playground.byTestId(testIds.flakyToggle).check()
    await expect.poll(() => query(playground), poll).toEqual({ workflow: 'article', flaky: '1' })
    await playground.byTestId(testIds.flakyToggle).uncheck()
    await expect.poll(() => query(playground), poll).toEqual({ workflow: 'article' })

    const topic = `Address bar in ${framework}`
    await playground.start(topic)
    await expect.poll(() => playground.byTestId(testIds.stopButton).isEnabled(), poll).toBe(true)
    await expect.poll(() => playground.runIdInUrl(), poll).not.toBeNull()
    const runId = (await playground.byTestId(testIds.runId).textContent())?.trim()
    expect(query(playground)).toEqual({ workflow: 'article', topic, run: runId })

    await playground.byTestId(testIds.stopButton).click()
    await expect.poll(() => playground.status(), poll).toBe('aborted')
    // A stopped run is still the one a reload shows.
    expect(query(playground)).toEqual({ workflow: 'article', topic, run: runId })
    await playground.byTestId(testIds.resetButton).click()
    // The form keeps the topic, and so does the address bar.
    await expect.poll(() => query(playground), poll).toEqual({ workflow: 'article', topic })
  })
})
