import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { copy, testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { script, startPlaygroundServer, type PlaygroundServer } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { E2E_FLAKY_CUT_MS, E2E_PACE_MS } from './global-setup.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * A demo server that the test restarts on the same port with another mode, as
 * someone restarts `pnpm dev`'s server with or without STEPSTREAM_FLAKY=1
 * while a playground stays open (Vite's page does not reload for the API).
 */
async function restartableServer(): Promise<{ url: string; restart(mode: 'always' | 'on-request'): Promise<void>; close(): Promise<void> }> {
  let server = await startPlaygroundServer({ port: 0, paceMs: E2E_PACE_MS, flakyCutMs: E2E_FLAKY_CUT_MS, serveBuiltApps: true })
  const port = server.port
  return {
    url: server.url,
    async restart(mode) {
      await server.close()
      server = await startPlaygroundServer({ port, paceMs: E2E_PACE_MS, flakyCutMs: E2E_FLAKY_CUT_MS, flaky: mode, serveBuiltApps: true })
    },
    close: () => server.close(),
  }
}

/**
 * The Flaky network switch tells the truth about the server it talks to. A
 * demo started with `STEPSTREAM_FLAKY=1` cuts every stream whatever a tab
 * asks: the switch showed off (the tab's own setting) while every stream was
 * cut, and unticking nothing could stop it. The global server cuts only on
 * request; this file starts a second one, on the same built apps, that cuts
 * them all.
 */

let browser: Browser
let alwaysFlaky: PlaygroundServer
beforeAll(async () => {
  browser = await launchChromium()
  alwaysFlaky = await startPlaygroundServer({ port: 0, paceMs: E2E_PACE_MS, flakyCutMs: E2E_FLAKY_CUT_MS, flaky: 'always', serveBuiltApps: true })
})
afterAll(async () => {
  await browser?.close()
  await alwaysFlaky?.close()
})

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')

  test('on a server that cuts every stream, Flaky network shows on, cannot be turned off, and says why; the run is cut and resumes', async (ctx) => {
    const topic = `Always flaky in ${framework}`
    const playground = await Playground.open(browser, ctx, framework, alwaysFlaky.url)
    const toggle = playground.byTestId(testIds.flakyToggle)
    await expect.poll(() => toggle.isChecked(), poll).toBe(true)
    expect(await toggle.isDisabled()).toBe(true)
    // Its name says the server decides, so a screen reader user hears why it cannot be changed.
    expect(await playground.page.getByRole('checkbox', { name: /STEPSTREAM_FLAKY=1/ }).count()).toBe(1)
    // This tab asked for nothing: the address bar does not claim it did.
    expect(playground.runIdInUrl()).toBeNull()
    expect(new URL(playground.page.url()).searchParams.get('flaky')).toBeNull()

    const resumes: string[] = []
    playground.page.on('request', (request) => {
      if (request.method() === 'GET' && request.url().includes('/api/workflow?')) resumes.push(request.url())
    })
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    // What the switch says is what happened: the stream was cut and resumed, to the same text.
    expect(resumes.length).toBeGreaterThan(0)
    expect(await playground.text()).toBe(script.editedText(topic, 0))
  })

  test('on a server that cuts only when asked, Flaky network is off and this tab can turn it on', async (ctx) => {
    const playground = await Playground.open(browser, ctx, framework, baseUrl)
    // Once the page has heard the server's mode.
    await playground.page.waitForLoadState('networkidle')
    const toggle = playground.byTestId(testIds.flakyToggle)
    expect(await toggle.isChecked()).toBe(false)
    expect(await toggle.isEnabled()).toBe(true)
    expect(await playground.page.getByRole('checkbox', { name: /STEPSTREAM_FLAKY/ }).count()).toBe(0)
    await toggle.check()
    expect(await toggle.isChecked()).toBe(true)
  })

  test('the switch follows the server when its mode changes while the page is open: read again when the window comes back into focus', async (ctx) => {
    const server = await restartableServer()
    ctx.onTestFinished(() => server.close())
    const playground = await Playground.open(browser, ctx, framework, server.url)
    await playground.page.waitForLoadState('networkidle')
    const toggle = playground.byTestId(testIds.flakyToggle)
    expect(await toggle.isChecked()).toBe(false)
    expect(await toggle.isEnabled()).toBe(true)

    await server.restart('always')
    // The person looks at another window, then comes back to this one (real focus events, not Playwright's emulated focus).
    const cdp = await playground.page.context().newCDPSession(playground.page)
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false })
    const elsewhere = await playground.page.context().newPage()
    await elsewhere.bringToFront()
    await playground.page.bringToFront()
    await expect.poll(() => toggle.isChecked(), poll).toBe(true)
    expect(await toggle.isDisabled()).toBe(true)
    expect(await playground.page.getByRole('checkbox', { name: copy.flakyAlwaysLabel }).count()).toBe(1)
  })

  test('the switch follows the server when its mode changes while the page is open: read again when this tab moves it', async (ctx) => {
    const server = await restartableServer()
    ctx.onTestFinished(() => server.close())
    const playground = await Playground.open(browser, ctx, framework, server.url)
    await playground.page.waitForLoadState('networkidle')
    const toggle = playground.byTestId(testIds.flakyToggle)
    expect(await toggle.isEnabled()).toBe(true)

    await server.restart('always')
    await toggle.click()
    // Ticked, and then fixed by the server's answer, with the reason in its name.
    await expect.poll(() => toggle.isDisabled(), poll).toBe(true)
    expect(await toggle.isChecked()).toBe(true)
    expect(await playground.page.getByRole('checkbox', { name: copy.flakyAlwaysLabel }).count()).toBe(1)
  })
})
