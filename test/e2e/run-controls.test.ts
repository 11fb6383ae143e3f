import { fetchWorkflowEvents, WorkflowClient, type WorkflowClientState } from '@stepstream/client'
import type { Browser, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { copy, flakyHeader, testIds, type ArticleOutput, type DemoState, type Framework } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, stepsAtApproval, WAIT_MS } from './playground.js'

/**
 * What the run controls offer around the edges of a run, in every
 * playground: the address bar only names a run the server accepted, Resume
 * only shows when following the run again can help, Stop still works when
 * this tab lost the run but the server did not, and Disconnect lets go of a
 * run that goes on without the tab, for Resume to pick up from the cursor.
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

function isResumeRequest(url: URL): boolean {
  return url.pathname === '/api/workflow' && url.searchParams.has('runId')
}

function refuse(route: Route): Promise<void> {
  return route.abort('internetdisconnected')
}

/**
 * Starts an article run and makes this tab lose it while the server run goes
 * on: the flaky switch cuts the stream, and every resume fails as if the
 * network were down, until the client gives up with `connection_lost`.
 * Returns a way back online (no more failed resumes, no more cuts).
 */
async function loseConnectionMidRun(playground: Playground, topic: string): Promise<() => Promise<void>> {
  await playground.page.route(isResumeRequest, refuse)
  await playground.start(topic)
  await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
  expect(await playground.byTestId(testIds.error).textContent()).toContain('connection_lost')
  expect(await playground.status()).toBe('error')
  return async () => {
    await playground.page.unroute(isResumeRequest, refuse)
    await playground.byTestId(testIds.flakyToggle).uncheck()
  }
}

function wordsIn(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}

/** A text seen at any moment must be the start of one of the scripted texts, never a garbled or repeated one. */
function isPrefixOfAny(text: string, scripted: readonly string[]): boolean {
  return text === '' || scripted.some((full) => full.startsWith(text))
}

/** The `startIndex` of every resume request the page sends from now on. */
function recordResumes(playground: Playground): number[] {
  const startIndices: number[] = []
  playground.page.on('request', (request) => {
    const url = new URL(request.url())
    if (isResumeRequest(url)) startIndices.push(Number(url.searchParams.get('startIndex')))
  })
  return startIndices
}

/**
 * The run as a reader that never let go sees it: a client in Node that
 * attaches from index 0 and follows the run live. Resolves once the server
 * has paused the run, whatever the page does meanwhile.
 */
async function followedUninterrupted(baseUrl: string, runId: string): Promise<WorkflowClientState<ArticleOutput, DemoState>> {
  const observer = new WorkflowClient<unknown, ArticleOutput, DemoState>({
    connection: fetchWorkflowEvents(`${baseUrl}/api/workflow`),
    body: { workflow: 'article' },
  })
  try {
    return await observer.attach(runId)
  } finally {
    observer.dispose()
  }
}

/**
 * Starts an article run, lets the first words of the writer's draft in and
 * presses Disconnect. Checks what the page says then (the run still running,
 * this tab's connection closed, Resume offered, nothing in error) and returns
 * the text it showed when it let go.
 */
async function disconnectMidStream(playground: Playground, topic: string): Promise<string> {
  const draft = script.draftText(topic)
  // No run yet: nothing to disconnect from.
  expect(await playground.byTestId(testIds.disconnectButton).isDisabled()).toBe(true)
  await playground.start(topic)
  await expect.poll(async () => wordsIn(await playground.text()) >= 3, poll).toBe(true)
  await playground.byTestId(testIds.disconnectButton).click({ timeout: WAIT_MS })

  // This tab let go, the run did not: it still reads running (a stream the server ended would read paused).
  await expect.poll(async () => `${await playground.status()} / ${await playground.connection()}`, poll).toBe('running / closed')
  const shownWhenLetGo = await playground.text()
  // Mid-stream: part of the draft, with the rest still to come.
  expect(draft.slice(0, shownWhenLetGo.length)).toBe(shownWhenLetGo)
  expect(shownWhenLetGo.length).toBeLessThan(draft.length)
  await playground.byTestId(testIds.disconnected).waitFor({ timeout: WAIT_MS })
  expect(await playground.isShown(testIds.resumeButton)).toBe(true)
  expect(await playground.isShown(testIds.error)).toBe(false)
  expect(await playground.isShown(testIds.reconnecting)).toBe(false)
  expect(await playground.byTestId(testIds.disconnectButton).isDisabled()).toBe(true)
  expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(true)
  // Nothing comes in any more, so no streaming caret.
  expect(await playground.byTestId(testIds.text).getAttribute('data-streaming')).toBe('false')
  // Nor a running time for the writer: this tab no longer follows the run, so it cannot tell whether the step still runs.
  expect(await playground.steps()).toEqual([{ name: 'writer', status: 'running' }])
  expect(await playground.byTestId(testIds.stepDuration).allTextContents()).toEqual([''])
  return shownWhenLetGo
}

/**
 * Holds this page's start requests, as a slow network would, until the
 * returned function lets them through: the start is on its way, and the
 * server has not taken the run on yet.
 */
async function holdStarts(playground: Playground): Promise<() => void> {
  let letThrough!: () => void
  const held = new Promise<void>((resolve) => (letThrough = resolve))
  await playground.page.route(
    (url) => url.pathname === '/api/workflow',
    async (route) => {
      const request = route.request()
      if (request.method() !== 'POST' || !(request.postData() ?? '').includes('"input"')) return route.fallback()
      await held
      // The page may have given up on the request meanwhile.
      await route.continue().catch(() => {})
    },
  )
  return letThrough
}

/**
 * Holds this page's requests that answer a pause (an approval or a signal),
 * as a slow network would, until the returned function lets them through;
 * `sent` lists each one the page sent.
 */
async function holdAnswers(playground: Playground): Promise<{ letThrough: () => void; sent: string[] }> {
  let letThrough!: () => void
  const held = new Promise<void>((resolve) => (letThrough = resolve))
  const sent: string[] = []
  await playground.page.route(
    (url) => url.pathname === '/api/workflow',
    async (route) => {
      const body = route.request().postData() ?? ''
      if (route.request().method() !== 'POST' || !/"(approval|signal)"/.test(body)) return route.fallback()
      sent.push(body)
      await held
      await route.continue().catch(() => {})
    },
  )
  return { letThrough, sent }
}

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

  test('New run is offered only when there is a run or an error to clear', async (ctx) => {
    const playground = await open(ctx)
    const newRun = playground.byTestId(testIds.resetButton)
    // A fresh page shows nothing to start over from.
    expect(await playground.status()).toBe('idle')
    expect(await newRun.isDisabled()).toBe(true)

    await playground.start(tooLongTopic)
    await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
    expect(await newRun.isEnabled()).toBe(true)
    await newRun.click()
    await expect.poll(() => playground.status(), poll).toBe('idle')
    expect(await playground.isShown(testIds.error)).toBe(false)
    expect(await newRun.isDisabled()).toBe(true)
  })

  test('after a lost connection Stop and Resume are offered, and Resume follows the run to its pause', async (ctx) => {
    const topic = `Lost and resumed in ${framework}`
    const playground = await open(ctx, '?flaky=1')
    const backOnline = await loseConnectionMidRun(playground, topic)
    // The run goes on without this tab: it can be stopped, or followed again.
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(true)
    expect(await playground.isShown(testIds.resumeButton)).toBe(true)

    await backOnline()
    await playground.byTestId(testIds.resumeButton).click()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.status()).toBe('paused')
    expect(await playground.text()).toBe(script.editedText(topic, 0))
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
    // Followed again, with its connection complete: nothing left to resume.
    expect(await playground.isShown(testIds.error)).toBe(false)
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
  })

  test('after a lost connection Stop aborts the run on the server, and an aborted run offers no Resume', async (ctx) => {
    const topic = `Lost and stopped in ${framework}`
    const playground = await open(ctx, '?flaky=1')
    const backOnline = await loseConnectionMidRun(playground, topic)
    await backOnline()
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(true)
    const aborted = playground.page.waitForResponse(
      (response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('"abort":true'),
      { timeout: WAIT_MS },
    )
    await playground.byTestId(testIds.stopButton).click()
    // The server took the abort (before the reload below, which would cancel a request still in flight).
    expect((await aborted).status()).toBe(202)

    await expect.poll(() => playground.status(), poll).toBe('aborted')
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(false)

    // The server's log says so too: a reload replays the run, and it ends aborted.
    const runId = playground.runIdInUrl()
    expect(runId).not.toBeNull()
    await playground.page.reload()
    await expect.poll(async () => (await playground.byTestId(testIds.runId).textContent())?.trim(), poll).toBe(runId)
    await expect.poll(() => playground.status(), poll).toBe('aborted')
    // Stopped on purpose: the page says so plainly, it does not call it a failure.
    await playground.byTestId(testIds.stopped).waitFor({ timeout: WAIT_MS })
    expect(await playground.isShown(testIds.error)).toBe(false)
    expect(await playground.isShown(testIds.approvalCard)).toBe(false)
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
  })

  test('Stop shows a neutral "Run stopped", not a red error alert with the code and message; a real error stays one', async (ctx) => {
    const playground = await open(ctx)
    await playground.start(`Stopped on purpose in ${framework}`)
    await expect.poll(async () => wordsIn(await playground.text()) >= 1, poll).toBe(true)
    await playground.byTestId(testIds.stopButton).click()
    await expect.poll(() => playground.status(), poll).toBe('aborted')

    const stopped = playground.byTestId(testIds.stopped)
    await stopped.waitFor({ timeout: WAIT_MS })
    expect((await stopped.textContent())?.trim()).toBe(copy.stopped)
    expect(await playground.isShown(testIds.error)).toBe(false)
    expect(await playground.page.getByRole('alert').count()).toBe(0)
    // Drawn in neither the error banner's colours nor, for the status, the error badge's.
    const badRgb = await playground.failureColour()
    expect(await playground.colours(testIds.stopped)).not.toContain(badRgb)
    expect(await playground.colours(testIds.status)).not.toContain(badRgb)

    // A failure is still an alert, in red.
    await playground.pickWorkflow('failing')
    await playground.start(`Failed for real in ${framework}`)
    await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
    expect(await playground.page.getByRole('alert').count()).toBe(1)
    expect(await playground.colours(testIds.error)).toContain(badRgb)
    expect(await playground.isShown(testIds.stopped)).toBe(false)
  })

  test('Stop does not paint the step it cut short as a failure: it reads "stopped", without the red dot or red message', async (ctx) => {
    const playground = await open(ctx)
    await playground.start(`Step cut by a stop in ${framework}`)
    await expect.poll(async () => wordsIn(await playground.text()) >= 1, poll).toBe(true)
    await playground.byTestId(testIds.stopButton).click()
    await playground.byTestId(testIds.stopped).waitFor({ timeout: WAIT_MS })
    // The writer was running: the notice says the run was stopped, and so does its step.
    expect(await playground.steps()).toEqual([{ name: 'writer', status: 'stopped' }])
    const badRgb = await playground.failureColour()
    const stepColours = () =>
      playground.page.evaluate((ids) => {
        const step = document.querySelector(`[data-testid="${ids.step}"]`)!
        const message = step.querySelector(`[data-testid="${ids.stepError}"]`)
        return [getComputedStyle(step, '::before').backgroundColor, message ? getComputedStyle(message).color : '']
      }, testIds)
    expect(await stepColours()).not.toContain(badRgb)

    // A step that fails for real is still red, and says failed.
    await playground.pickWorkflow('failing')
    await playground.start(`A real step failure in ${framework}`)
    await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
    expect((await playground.steps()).map((step) => step.status)).toContain('failed')
    const failed = await playground.page.evaluate((ids) => {
      const step = [...document.querySelectorAll(`[data-testid="${ids.step}"]`)].find((element) => element.querySelector(`[data-testid="${ids.stepError}"]`))!
      return [getComputedStyle(step, '::before').backgroundColor, getComputedStyle(step.querySelector(`[data-testid="${ids.stepError}"]`)!).color]
    }, testIds)
    expect(failed).toEqual([badRgb, badRgb])
  })

  test('Disconnect mid-stream leaves the run going on the server, and Resume picks it up from the cursor: paused, approved, finished as if never cut', async (ctx) => {
    const topic = `Disconnected in ${framework}`
    const draft = script.draftText(topic)
    const edited = script.editedText(topic, 0)
    const playground = await open(ctx)
    const shownWhenLetGo = await disconnectMidStream(playground, topic)
    const runId = playground.runIdInUrl()
    expect(runId).not.toBeNull()

    // The server writes on and reaches the approval while this tab hears none of it.
    const uninterrupted = await followedUninterrupted(baseUrl, runId!)
    expect(uninterrupted.status).toBe('paused')
    expect(uninterrupted.currentText).toBe(edited)
    expect(await playground.text()).toBe(shownWhenLetGo)
    expect(await playground.status()).toBe('running')
    expect(await playground.connection()).toBe('closed')
    expect(await playground.isShown(testIds.approvalCard)).toBe(false)

    const resumes = recordResumes(playground)
    await playground.byTestId(testIds.resumeButton).click()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    // One request, from the cursor: the events after the last one this tab applied, not the log again.
    expect(resumes).toHaveLength(1)
    expect(resumes[0]).toBeGreaterThan(0)
    // Where a reader that never let go is: same text, same state, same steps, each once.
    expect(await playground.status()).toBe('paused')
    expect(await playground.text()).toBe(uninterrupted.currentText)
    expect(await playground.state()).toEqual(uninterrupted.state)
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
    expect(await playground.isShown(testIds.disconnected)).toBe(false)
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
    // The server ended the stream at the pause: nothing to disconnect, and the card needs no stream.
    expect(await playground.byTestId(testIds.disconnectButton).isDisabled()).toBe(true)

    await playground.byTestId(testIds.approveButton).click()
    await expect.poll(() => playground.status(), poll).toBe('finished')
    expect(await playground.text()).toBe(script.publishText(topic))
    expect(await playground.byTestId(testIds.outputBody).textContent()).toBe(edited)
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'editor', status: 'finished' },
      { name: `Publish "${script.titleFor(topic)}"?`, status: 'approved' },
      { name: 'publisher', status: 'finished' },
    ])
    const garbled = (await playground.shownTexts()).filter((text) => !isPrefixOfAny(text, [draft, edited, script.publishText(topic)]))
    expect(garbled).toEqual([])
    expect(await playground.isShown(testIds.error)).toBe(false)
    expect(await playground.byTestId(testIds.disconnectButton).isDisabled()).toBe(true)
  })

  test('Resume while the run still streams follows it live from the cursor, with no word lost or shown twice', async (ctx) => {
    const topic = `Briefly disconnected in ${framework}`
    const draft = script.draftText(topic)
    const edited = script.editedText(topic, 0)
    const playground = await open(ctx)
    const shownWhenLetGo = await disconnectMidStream(playground, topic)

    // About 20 words' worth at the tests' pace: the server wrote them, this tab shows none.
    await playground.page.waitForTimeout(300)
    expect(await playground.text()).toBe(shownWhenLetGo)
    expect(await playground.connection()).toBe('closed')

    const resumes = recordResumes(playground)
    await playground.byTestId(testIds.resumeButton).click()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(resumes).toHaveLength(1)
    expect(resumes[0]).toBeGreaterThan(0)
    expect(await playground.text()).toBe(edited)
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
    expect(await playground.state()).toMatchObject({ topic, phase: 'awaiting-approval', wordCount: wordsIn(edited) })
    const garbled = (await playground.shownTexts()).filter((text) => !isPrefixOfAny(text, [draft, edited]))
    expect(garbled).toEqual([])
    expect(await playground.isShown(testIds.error)).toBe(false)
  })

  test('ticking Flaky network mid-stream applies to the stream being read now, not only to the next request: the run is cut, resumed, and no word is lost or doubled', async (ctx) => {
    const topic = `Flaky from now on in ${framework}`
    const draft = script.draftText(topic)
    const edited = script.editedText(topic, 0)
    const playground = await open(ctx)
    const flakyRequests: string[] = []
    playground.page.on('request', (request) => {
      if (request.headers()[flakyHeader] === '1') flakyRequests.push(request.url())
    })
    await playground.start(topic)
    // The server streams the run to this tab, with a healthy connection and most of the text still to come.
    await expect.poll(async () => (await playground.connection()) === 'open' && wordsIn(await playground.text()) >= 1, poll).toBe(true)
    expect(flakyRequests).toEqual([])

    await playground.byTestId(testIds.flakyToggle).focus()
    await playground.page.keyboard.press('Space')
    expect(await playground.byTestId(testIds.flakyToggle).isChecked()).toBe(true)

    // Writing and editing take longer than a flaky stream lives (0.8 s at most): the switch shows its effect before the pause.
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(flakyRequests.length).toBeGreaterThan(0)
    const shown = await playground.shown()
    expect(shown.reconnectingBanner).toBe(true)
    expect(await playground.text()).toBe(edited)
    expect(shown.texts.filter((text) => !isPrefixOfAny(text, [draft, edited]))).toEqual([])
    expect(await playground.steps()).toEqual(stepsAtApproval(topic))
    expect(await playground.isShown(testIds.error)).toBe(false)
  })

  test('while an approval is on its way to the server, the card offers neither decision again: Approve cannot send it twice, nor Request changes overturn it', async (ctx) => {
    const topic = `Decided once in ${framework}`
    const playground = await open(ctx)
    await playground.start(topic)
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    const answers = await holdAnswers(playground)
    await playground.byTestId(testIds.feedbackInput).fill('Typed, then approved anyway')
    await playground.byTestId(testIds.approveButton).click()

    await expect.poll(() => answers.sent.length, poll).toBe(1)
    await expect.poll(() => playground.byTestId(testIds.approveButton).isDisabled(), poll).toBe(true)
    expect(await playground.byTestId(testIds.requestChangesButton).isDisabled()).toBe(true)

    answers.letThrough()
    await expect.poll(() => playground.status(), poll).toBe('finished')
    expect(await playground.byTestId(testIds.outputBody).textContent()).toBe(script.editedText(topic, 0))
    expect(answers.sent).toHaveLength(1)
  })

  test('while a signal is on its way to the server, Publish now is not offered again', async (ctx) => {
    const topic = `Signalled once in ${framework}`
    const playground = await open(ctx)
    await playground.pickWorkflow('newsletter')
    await playground.start(topic)
    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    const answers = await holdAnswers(playground)
    await playground.byTestId(testIds.signalButton).click()

    await expect.poll(() => answers.sent.length, poll).toBe(1)
    await expect.poll(() => playground.byTestId(testIds.signalButton).isDisabled(), poll).toBe(true)
    answers.letThrough()
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect(answers.sent).toHaveLength(1)
  })

  test('while a start is still on its way to the server, Disconnect is not offered: it would promise a Resume of a run the server may never get', async (ctx) => {
    const topic = `Slow start in ${framework}`
    const playground = await open(ctx)
    const letThrough = await holdStarts(playground)
    await playground.start(topic)

    await expect.poll(() => playground.connection(), poll).toBe('connecting')
    expect(await playground.status()).toBe('running')
    // Nothing the server took on yet: no run id to reload, so nothing to let go of and pick up again.
    expect(playground.runIdInUrl()).toBeNull()
    expect(await playground.byTestId(testIds.disconnectButton).isDisabled()).toBe(true)

    letThrough()
    // The server took the run on: now it goes on without the tab, and Disconnect is offered.
    await expect.poll(() => playground.byTestId(testIds.disconnectButton).isEnabled(), poll).toBe(true)
    expect(playground.runIdInUrl()).not.toBeNull()
    await playground.byTestId(testIds.approvalCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.text()).toBe(script.editedText(topic, 0))
    expect(await playground.isShown(testIds.error)).toBe(false)
  })
})
