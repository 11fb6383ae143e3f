import { fetchWorkflowEvents, WorkflowClient } from '@stepstream/client'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { copy, testIds, type Framework } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'
import { launchChromium } from './chromium.js'
import { Playground, poll, selectedFrameworks, WAIT_MS } from './playground.js'

/**
 * The two workflows that show a run's other ends, in every playground: one
 * that sleeps (a pause nobody can end, which the page must follow by itself)
 * and one whose step fails (the error path).
 */

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** The deadline the server paused the run until, read from the run's own log rather than from the page. */
async function serverSleepDeadline(baseUrl: string, runId: string): Promise<string | undefined> {
  let deadline: string | undefined
  const client = new WorkflowClient({
    connection: fetchWorkflowEvents(`${baseUrl}/api/workflow`),
    body: { workflow: 'scheduled' },
    onCustomEvent: (name, value) => {
      if (name === 'run.paused') deadline = (value as { deadline?: string }).deadline
    },
  })
  await client.attach(runId)
  client.dispose()
  return deadline
}

describe.each(selectedFrameworks)('%s playground', (framework: Framework) => {
  const baseUrl = inject('baseUrl')
  const open = (ctx: Parameters<typeof Playground.open>[1]) => Playground.open(browser, ctx, framework, baseUrl)

  test('the scheduled workflow sleeps until its deadline, shown, and then carries on without a click', async (ctx) => {
    const topic = `Sleeping in ${framework}`
    const playground = await open(ctx)
    await playground.pickWorkflow('scheduled')
    await playground.start(topic)

    await playground.byTestId(testIds.sleepCard).waitFor({ timeout: WAIT_MS })
    expect(await playground.status()).toBe('paused')
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'sleep', status: 'waiting' },
    ])
    expect(await playground.state()).toMatchObject({ topic, phase: 'sleeping' })
    // Nothing for a person to do: no approval, no signal to send.
    expect(await playground.isShown(testIds.approvalCard)).toBe(false)
    expect(await playground.isShown(testIds.signalCard)).toBe(false)
    // The server ended the stream at the pause: no connection to let go of (the page's own look at the deadline is not one).
    expect(await playground.byTestId(testIds.disconnectButton).isDisabled()).toBe(true)
    // The deadline shown is the one the server paused the run until.
    const shownDeadline = await playground.byTestId(testIds.sleepDeadline).getAttribute('datetime')
    const runId = playground.runIdInUrl()
    expect(runId).not.toBeNull()
    expect(shownDeadline).toBe(await serverSleepDeadline(baseUrl, runId!))

    // From here on nothing is clicked: the page follows the woken run by itself.
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    await expect.poll(() => playground.status(), poll).toBe('finished')
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'sleep', status: 'finished' },
      { name: 'publisher', status: 'finished' },
    ])
    expect(await playground.text()).toBe(script.publishText(topic, 'scheduled'))
    expect(await playground.byTestId(testIds.outputBody).textContent()).toBe(script.draftText(topic))
    expect(await playground.state()).toMatchObject({ phase: 'published' })
    expect(await playground.isShown(testIds.sleepCard)).toBe(false)
    expect(await playground.isShown(testIds.error)).toBe(false)
  })

  test('a sleep reads as a sleep on the timeline, not as a signal someone must send: while it waits, once it woke, and after a reload', async (ctx) => {
    const stepTypes = async (playground: Playground) => {
      const names = await playground.byTestId(testIds.stepName).allTextContents()
      const types = await playground.byTestId(testIds.stepType).allTextContents()
      return Object.fromEntries(names.map((name, index) => [name.trim(), (types[index] ?? '').trim()]))
    }
    const playground = await open(ctx)
    // A wait someone signals still reads as one.
    await playground.pickWorkflow('newsletter')
    await playground.start(`Signalled, not slept, in ${framework}`)
    await playground.byTestId(testIds.signalCard).waitFor({ timeout: WAIT_MS })
    expect(Object.values(await stepTypes(playground))).toContain('signal')

    await playground.byTestId(testIds.stopButton).click()
    await expect.poll(() => playground.status(), poll).toBe('aborted')
    await playground.pickWorkflow('scheduled')
    await playground.start(`Slept, not signalled, in ${framework}`)
    await playground.byTestId(testIds.sleepCard).waitFor({ timeout: WAIT_MS })
    expect((await stepTypes(playground)).sleep).toBe(copy.sleepStepType)
    expect(Object.values(await stepTypes(playground))).not.toContain('signal')

    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect((await stepTypes(playground)).sleep).toBe(copy.sleepStepType)

    // A reload replays the run from its log: the sleep is still told apart.
    await playground.page.reload()
    await playground.byTestId(testIds.output).waitFor({ timeout: WAIT_MS })
    expect(await stepTypes(playground)).toMatchObject({ writer: 'agent', sleep: copy.sleepStepType, publisher: 'agent' })
  })

  test('the failing workflow shows the failed step, its error and the error banner, with nothing to resume', async (ctx) => {
    const topic = `Failing in ${framework}`
    const failure = script.publishFailure(topic)
    const playground = await open(ctx)
    await playground.pickWorkflow('failing')
    await playground.start(topic)

    await playground.byTestId(testIds.error).waitFor({ timeout: WAIT_MS })
    await expect.poll(() => playground.status(), poll).toBe('error')
    const banner = await playground.byTestId(testIds.error).textContent()
    expect(banner).toContain('step_failed')
    expect(banner).toContain(failure)
    expect(await playground.steps()).toEqual([
      { name: 'writer', status: 'finished' },
      { name: 'publisher', status: 'failed' },
    ])
    // The step says why it failed; the step that worked says nothing.
    expect(await playground.byTestId(testIds.stepError).allTextContents()).toEqual([failure])
    expect(await playground.text()).toBe(script.publishAttemptText(topic))
    expect(await playground.state()).toMatchObject({ phase: 'publishing' })
    expect(await playground.isShown(testIds.output)).toBe(false)
    // The run is over on the server: nothing to resume or stop, and a new run can start.
    expect(await playground.isShown(testIds.resumeButton)).toBe(false)
    expect(await playground.byTestId(testIds.stopButton).isEnabled()).toBe(false)
    expect(await playground.byTestId(testIds.disconnectButton).isEnabled()).toBe(false)
    expect(await playground.byTestId(testIds.startButton).isEnabled()).toBe(true)
  })
})
