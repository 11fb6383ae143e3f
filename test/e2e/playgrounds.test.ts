import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { copy, testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { script, startPlaygroundServer } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { E2E_PACE_MS } from './global-setup.js'
import { approvalTitle, Playground, poll, selectedFrameworks, stepsAtApproval, WAIT_MS } from './playground.js'

/**
 * One suite, five playgrounds: every scenario runs against React, Vue,
 * Svelte, Solid and the vanilla DOM app, through the same test ids. What the
 * browser shows is compared with what the mock agents were scripted to say.
 * `E2E_FRAMEWORKS=react,vue` narrows the run while working on one app.
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean)
}

/** A text seen mid-stream must be the start of one of the scripted texts, never a garbled or repeated one. */
function isPrefixOfAny(text: string, scripted: readonly string[]): boolean {
  return text === '' || scripted.some((full) => full.startsWith(text))
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')
  const open = (ctx: Parameters<typeof Playground.open>[1], query?: string) => Playground.open(browser, ctx, framework, baseUrl, query)

  test('starts a run and streams the text in as the agents write it', async (ctx) => {
    const topic = `Streaming in ${framework}`
    const draft = script.draftText(topic)
    const edited = script.editedText(topic, 0)
    const playground = await open(ctx)
    await playground.start(topic)

    // Partial text: part of the writer's draft is on screen while the rest is still coming.
    await expect.poll(async () => {
      const text = await playground.text()
      return text.length > 0 && text.length < draft.length && draft.startsWith(text)
    }, poll).toBe(true)
    expect(await playground.status()).toBe('running')

    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.text()).toBe(edited)
    expect(await playground.status()).toBe('paused')
    // The approval is a step of its own (named by its title), waiting from the pause until the decision.
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
    // A waiting step shows no duration until the decision ends it.
    expect(await playground.byTestId(testIds.stepDuration).allTextContents()).toEqual([
      expect.stringMatching(/^\d+(\.\d)? m?s$/),
      expect.stringMatching(/^\d+(\.\d)? m?s$/),
      '',
    ])
    expect(await playground.state()).toMatchObject({ topic, phase: 'awaiting-approval', revision: 0, wordCount: words(edited).length })
    // The run id is in the address bar, so a reload can find the run.
    expect(playground.runIdInUrl()).toBe((await playground.byTestId(testIds.runId).textContent())?.trim())
    expect((await playground.shownTexts()).every((text) => isPrefixOfAny(text, [draft, edited]))).toBe(true)
  })

  test('approving publishes and shows the output', async (ctx) => {
    const topic = `Approval in ${framework}`
    const playground = await open(ctx)
    await playground.start(topic)
    await playground.byTestId(testIds.approveButton).click({ timeout: WAIT_MS })

    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect(await playground.byTestId(testIds.outputTitle).textContent()).toBe(script.titleFor(topic))
    expect(await playground.byTestId(testIds.outputBody).textContent()).toBe(script.editedText(topic, 0))
    await expect.poll(() => playground.status(), poll).toBe('finished')
    expect(await playground.byTestId(testIds.approvalCard).count()).toBe(0)
    expect(await playground.text()).toBe(script.publishText(topic))
    // The approval step opened at the pause is the one the decision finished: one step, not two, and it says the decision.
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'editor', status: 'finished' },
      { name: approvalTitle(topic), status: 'approved' },
      { name: 'publisher', status: 'finished' },
    ])
    expect(await playground.state()).toMatchObject({ phase: 'published' })
  })

  test('requesting changes sends the draft back through the editor with the feedback', async (ctx) => {
    const topic = `Revisions in ${framework}`
    const feedback = 'Make it punchier'
    const revised = script.editedText(topic, 1, feedback)
    const playground = await open(ctx)
    await playground.start(topic)
    await playground.byTestId(testIds.feedbackInput).fill(feedback, { timeout: WAIT_MS })
    await playground.byTestId(testIds.requestChangesButton).click()

    await expect.poll(() => playground.text(), poll).toBe(revised)
    expect(revised).toContain(`Revision 1, addressing "${feedback}"`)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.byTestId(testIds.feedbackInput).inputValue()).toBe('')
    expect(await playground.state()).toMatchObject({ revision: 1, feedback: [feedback], phase: 'awaiting-approval' })
    // The first approval says what was decided: the timeline does not read as if it went through.
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'editor', status: 'finished' },
      { name: approvalTitle(topic), status: 'changes requested' },
      { name: 'editor', status: 'finished' },
      { name: approvalTitle(topic), status: 'waiting' },
    ])

    await playground.byTestId(testIds.approveButton).click()
    await expect.poll(() => playground.byTestId(testIds.outputBody).textContent(), poll).toBe(revised)
    expect(await playground.byTestId(testIds.output).textContent()).toContain('1 revision(s)')
  })

  test('Request changes waits for feedback: with none typed it is not offered, so a draft is never rejected by a click meant to revise it', async (ctx) => {
    const topic = `Feedback first in ${framework}`
    const playground = await open(ctx)
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    const requestChanges = playground.byTestId(testIds.requestChangesButton)

    // The card says requesting changes has the editor revise the draft: that takes something for the editor to go on.
    expect(await requestChanges.isDisabled()).toBe(true)
    await playground.byTestId(testIds.feedbackInput).fill('   ')
    expect(await requestChanges.isDisabled()).toBe(true)
    expect(await playground.byTestId(testIds.approveButton).isEnabled()).toBe(true)
    await playground.byTestId(testIds.feedbackInput).fill('More examples')
    expect(await requestChanges.isEnabled()).toBe(true)
    await playground.byTestId(testIds.feedbackInput).fill('')
    expect(await requestChanges.isDisabled()).toBe(true)

    // Nothing was sent: the run still waits on the same approval.
    expect(await playground.status()).toBe('paused')
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
  })

  test('a flaky network cuts the stream, and the resumed run shows the same text with no duplicated words', async (ctx) => {
    const topic = `Flaky network in ${framework}`
    const draft = script.draftText(topic)
    const edited = script.editedText(topic, 0)
    const playground = await open(ctx, '?flaky=1')
    expect(await playground.byTestId(testIds.flakyToggle).isChecked()).toBe(true)
    const resumes: string[] = []
    playground.page.on('request', (request) => {
      if (request.method() === 'GET' && request.url().includes('/api/workflow?')) resumes.push(request.url())
    })
    await playground.start(topic)

    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(words(await playground.text())).toEqual(words(edited))
    expect(await playground.text()).toBe(edited)
    // The server cuts every flaky stream within 0.8 s and writing takes longer: the client had to resume.
    expect(resumes.length).toBeGreaterThan(0)
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))

    await playground.byTestId(testIds.approveButton).click()
    await expect.poll(() => playground.status(), poll).toBe('finished')
    expect(await playground.byTestId(testIds.outputBody).textContent()).toBe(edited)
    expect(await playground.text()).toBe(script.publishText(topic))
    const shown = await playground.shown()
    const garbled = shown.texts.filter((text) => !isPrefixOfAny(text, [draft, edited, script.publishText(topic)]))
    expect(garbled).toEqual([])
    // The drop was visible while it lasted, and it never became an error.
    expect(shown.reconnectingBanner).toBe(true)
    expect(await playground.byTestId(testIds.error).count()).toBe(0)
  })

  test('with Flaky network on, the text being read stays put at each cut: the reconnecting banner does not push it down and back', async (ctx) => {
    const playground = await open(ctx, '?flaky=1')
    // Where the streaming text's panel is at every change of the page, with the banner up or not, until the approval card comes.
    await playground.page.evaluate((ids) => {
      const tops: number[] = []
      ;(window as unknown as { __tops: number[] }).__tops = tops
      new MutationObserver(() => {
        if (document.querySelector(`[data-testid="${ids.card}"]`)) return
        const panel = document.querySelector(`[data-testid="${ids.text}"]`)?.closest('section')
        if (panel) tops.push(Math.round(panel.getBoundingClientRect().top))
      }).observe(document, { subtree: true, childList: true, characterData: true })
    }, { card: testIds.approvalCard, text: testIds.text })
    await playground.start(`Steady in ${framework}`)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect((await playground.shown()).reconnectingBanner).toBe(true)
    const tops = await playground.page.evaluate(() => (window as unknown as { __tops: number[] }).__tops)
    expect(new Set(tops).size).toBe(1)
  })

  test('reloading mid-run attaches to the same run and it carries on', async (ctx) => {
    const topic = `Reload in ${framework}`
    const draft = script.draftText(topic)
    const edited = script.editedText(topic, 0)
    const playground = await open(ctx)
    await playground.start(topic)
    await expect.poll(async () => (await playground.text()).split(' ').length >= 3, poll).toBe(true)
    expect(await playground.status()).toBe('running')
    const runId = playground.runIdInUrl()
    expect(runId).toMatch(/^[0-9a-f-]{36}$/)

    await playground.page.reload()
    expect(playground.runIdInUrl()).toBe(runId)
    await expect.poll(async () => (await playground.byTestId(testIds.runId).textContent())?.trim(), poll).toBe(runId)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.text()).toBe(edited)
    // The form still names the run's topic, not the default: Start after this run asks about the same one.
    expect(await playground.byTestId(testIds.topicInput).inputValue()).toBe(topic)
    // Replaying the log after the reload must not duplicate steps either.
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
    expect((await playground.shownTexts()).every((text) => isPrefixOfAny(text, [draft, edited]))).toBe(true)

    await playground.byTestId(testIds.approveButton).click()
    await expect.poll(() => playground.byTestId(testIds.outputBody).textContent(), poll).toBe(edited)
    expect(await playground.status()).toBe('finished')
  })

  test('a run the server does not know (expired) says so plainly and leaves the address bar, so a reload does not fail again; the form starts a new run', async (ctx) => {
    const playground = await open(ctx, '?workflow=article&topic=Gone&run=no-such-run')
    const gone = playground.byTestId(testIds.runGone)
    await gone.waitFor({ timeout: WAIT_MS })
    expect((await gone.textContent())?.trim()).toBe(copy.runGone)
    expect(await playground.isShown(testIds.error)).toBe(false)
    await expect.poll(() => playground.runIdInUrl(), poll).toBeNull()
    expect(new URL(playground.page.url()).searchParams.get('topic')).toBe('Gone')

    await playground.page.reload()
    await playground.byTestId(testIds.framework).waitFor({ timeout: WAIT_MS })
    await playground.page.waitForLoadState('networkidle')
    expect(await playground.status()).toBe('idle')
    expect(await playground.isShown(testIds.runGone)).toBe(false)
    expect(await playground.isShown(testIds.error)).toBe(false)

    // The form is usable: a new run starts, and the address bar names it.
    const topic = `After a gone run in ${framework}`
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(playground.runIdInUrl()).not.toBeNull()
    expect(await playground.isShown(testIds.runGone)).toBe(false)
  })

  test('a run the server does not know is not drawn as a failure anywhere: its status badge is no more red than its notice', async (ctx) => {
    const playground = await open(ctx, '?workflow=article&run=no-such-run')
    await playground.byTestId(testIds.runGone).waitFor({ timeout: WAIT_MS })
    // The client's word for it stays on the badge (this is the SDK's status), but not the alarm colours:
    // a red badge beside a plain "start a new one" said two different things about the same run.
    expect(await playground.status()).toBe('error')
    const badRgb = await playground.failureColour()
    expect(await playground.colours(testIds.runGone)).not.toContain(badRgb)
    expect(await playground.colours(testIds.status)).not.toContain(badRgb)

    // A real failure keeps its red badge.
    await playground.pickWorkflow('failing')
    await playground.start(`Failed after a gone run in ${framework}`)
    await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
    expect(await playground.status()).toBe('error')
    expect(await playground.colours(testIds.status)).toContain(badRgb)
  })

  test('a run lost to a server restart while it waits for approval: Approve says it is gone, and the page lets go of it: no card, no Stop, Start usable', async (ctx) => {
    // The in-memory demo server forgets its runs when restarted (as `pnpm dev`'s is, on the same port), while the page stays open.
    let server = await startPlaygroundServer({ port: 0, paceMs: E2E_PACE_MS, serveBuiltApps: true })
    const port = server.port
    ctx.onTestFinished(() => server.close())
    const topic = `Lost to a restart in ${framework}`
    const playground = await Playground.open(browser, ctx, framework, server.url)
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    await server.close()
    server = await startPlaygroundServer({ port, paceMs: E2E_PACE_MS, serveBuiltApps: true })

    await playground.byTestId(testIds.approveButton).click()
    await playground.byTestId(testIds.runGone).waitFor({ timeout: WAIT_MS })
    // The notice says "Start a new one": the page must let that happen, and offer nothing aimed at the run that is gone.
    await expect.poll(() => playground.isShown(testIds.approvalCard), poll).toBe(false)
    expect(await playground.byTestId(testIds.startButton).isEnabled()).toBe(true)
    expect(await playground.byTestId(testIds.stopButton).isDisabled()).toBe(true)
    expect(await playground.byTestId(testIds.resetButton).isEnabled()).toBe(true)
    expect(await playground.byTestId(testIds.runAnnouncement).textContent()).toBe('')
    // The client still calls the run paused; its badge is drawn as neutral as the closed connection's, not as a wait.
    const badge = (id: string) =>
      playground.page.evaluate((id) => {
        const style = getComputedStyle(document.querySelector(`[data-testid="${id}"]`)!)
        return [style.color, style.backgroundColor]
      }, id)
    expect(await playground.connection()).toBe('closed')
    expect(await badge(testIds.status)).toEqual(await badge(testIds.connection))

    await playground.start(`${topic}, again`)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.isShown(testIds.runGone)).toBe(false)
  })

  test('the run-gone message replaces the error also before the reload: the form is usable at once', async (ctx) => {
    const playground = await open(ctx, '?workflow=article&run=no-such-run')
    await playground.byTestId(testIds.runGone).waitFor({ timeout: WAIT_MS })
    expect(await playground.byTestId(testIds.startButton).isEnabled()).toBe(true)
    await playground.start(`Straight after a gone run in ${framework}`)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.isShown(testIds.runGone)).toBe(false)
  })

  test('the orchestrator lets its router pick each agent', async (ctx) => {
    const topic = `Routing in ${framework}`
    const playground = await open(ctx)
    await playground.byTestId(testIds.workflowSelect).selectOption('orchestrated')
    await playground.start(topic)

    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect((await playground.steps()).map((step) => step.name)).toEqual(['researcher', 'writer', 'factChecker', 'editor'])
    expect(await playground.byTestId(testIds.outputBody).textContent()).toBe(script.editedText(topic, 0))
    expect(await playground.state()).toMatchObject({ route: ['researcher', 'writer', 'factChecker', 'editor'] })
    expect(new URL(playground.page.url()).searchParams.get('workflow')).toBe('orchestrated')
  })

  test('picking another workflow after a run starts over, so a reload does not look for that run under the new workflow', async (ctx) => {
    const playground = await open(ctx, '?workflow=orchestrated')
    await playground.start(`Switching in ${framework}`)
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect(playground.runIdInUrl()).not.toBeNull()

    await playground.byTestId(testIds.workflowSelect).selectOption('newsletter')
    // The run shown was an orchestrator run: it is not the newsletter's, so the address bar lets go of it.
    expect(playground.runIdInUrl()).toBeNull()
    expect(new URL(playground.page.url()).searchParams.get('workflow')).toBe('newsletter')
    await expect.poll(() => playground.status(), poll).toBe('idle')
    expect(await playground.byTestId(testIds.output).count()).toBe(0)

    await playground.page.reload()
    await playground.byTestId(testIds.framework).waitFor({ timeout: WAIT_MS })
    expect(await playground.byTestId(testIds.workflowSelect).inputValue()).toBe('newsletter')
    expect(await playground.status()).toBe('idle')
    await playground.start(`Switched in ${framework}`)
    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.byTestId(testIds.error).count()).toBe(0)
  })

  test('the newsletter waits for a signal and goes on when it is sent', async (ctx) => {
    const topic = `Signals in ${framework}`
    const playground = await open(ctx)
    await playground.byTestId(testIds.workflowSelect).selectOption('newsletter')
    await playground.start(topic)

    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.status()).toBe('paused')
    expect(await playground.byTestId(testIds.signalCard).textContent()).toContain('publish-slot')
    // The wait is a step (named by the signal), waiting until the signal arrives.
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'publish-slot', status: 'waiting' },
    ])
    await playground.byTestId(testIds.signalButton).click()

    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect((await playground.steps()).map((step) => [step.name, step.status])).toEqual([
      ['writer', 'finished'],
      ['publish-slot', 'finished'],
      ['publisher', 'finished'],
    ])
    expect(await playground.text()).toBe(script.publishText(topic, 'now'))
    expect(await playground.state()).toMatchObject({ phase: 'published', slot: 'now' })
    expect(await playground.byTestId(testIds.signalCard).count()).toBe(0)
  })
})
