import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { TestContext } from 'vitest'
import { frameworks, testIds, type Framework, type TestId, type WorkflowName } from '../../playgrounds/shared/src/index.js'
import { script } from '../../playgrounds/server/src/index.js'

const artifactsDir = fileURLToPath(new URL('../../test-output/e2e/', import.meta.url))

/** Bounded waits: long enough for a slow CI machine, short enough that a hang fails the test. */
export const WAIT_MS = 20_000

/** For `expect.poll`: the same bound, looked at often. */
export const poll = { timeout: WAIT_MS, interval: 25 }

/** `E2E_FRAMEWORKS=react,vue` narrows a run to those apps while working on them. */
export const selectedFrameworks: readonly Framework[] = frameworks.filter(
  (framework) => process.env.E2E_FRAMEWORKS?.split(',').includes(framework) ?? true,
)

/**
 * One playground opened in a fresh browser context, with what a failing test
 * needs to be understood afterwards: the console log and a screenshot, both
 * written to test-output/e2e/.
 */
/** The approval step's name: the approval's title. */
export function approvalTitle(topic: string): string {
  return `Publish "${script.titleFor(topic)}"?`
}

/** The article run's steps while its approval waits: the approval is a step of its own, waiting until the decision. */
export function stepsAtApproval(topic: string): Array<{ name: string; status: string }> {
  return [
    { name: 'writer', status: 'finished' },
    { name: 'editor', status: 'finished' },
    { name: approvalTitle(topic), status: 'waiting' },
  ]
}

export class Playground {
  readonly console: string[] = []

  private constructor(
    readonly framework: Framework,
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {}

  static open(browser: Browser, test: TestContext, framework: Framework, baseUrl: string, query = ''): Promise<Playground> {
    return Playground.openUrl(browser, test, framework, `${baseUrl}/${framework}/${query}`)
  }

  static async openUrl(browser: Browser, test: TestContext, framework: Framework, url: string): Promise<Playground> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 860 } })
    const page = await context.newPage()
    const playground = new Playground(framework, page, context)
    page.on('console', (message) => playground.console.push(`[${message.type()}] ${message.text()}`))
    page.on('pageerror', (error) => playground.console.push(`[pageerror] ${error.stack ?? error.message}`))
    await page.addInitScript(recordShown, { text: testIds.text, reconnecting: testIds.reconnecting })
    // One hook, so the screenshot is taken before the context closes.
    test.onTestFinished(async () => {
      if (test.task.result?.state === 'fail') await playground.saveArtifacts(test.task.name)
      await context.close()
    })
    await page.goto(url)
    await playground.byTestId(testIds.framework).waitFor({ timeout: WAIT_MS })
    return playground
  }

  byTestId(id: TestId): Locator {
    return this.page.getByTestId(id)
  }

  async pickWorkflow(name: WorkflowName): Promise<void> {
    await this.byTestId(testIds.workflowSelect).selectOption(name, { timeout: WAIT_MS })
  }

  async start(topic: string): Promise<void> {
    await this.byTestId(testIds.topicInput).fill(topic)
    await this.byTestId(testIds.startButton).click()
  }

  /** The streaming text as shown (edges trimmed: templates may add whitespace around it). */
  async text(): Promise<string> {
    return ((await this.byTestId(testIds.text).textContent()) ?? '').trim()
  }

  async status(): Promise<string> {
    return (await this.byTestId(testIds.status).textContent())?.trim() ?? ''
  }

  /** This tab's connection to the run, as the status bar shows it. */
  async connection(): Promise<string> {
    return (await this.byTestId(testIds.connection).textContent())?.trim() ?? ''
  }

  async state(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.byTestId(testIds.state).textContent()) ?? '{}') as Record<string, unknown>
  }

  async steps(): Promise<Array<{ name: string; status: string }>> {
    const names = await this.byTestId(testIds.stepName).allTextContents()
    const statuses = await this.byTestId(testIds.stepStatus).allTextContents()
    return names.map((name, index) => ({ name: name.trim(), status: (statuses[index] ?? '').trim() }))
  }

  /** Whether the element is on the page now (no waiting: for what must not be offered). */
  async isShown(id: TestId): Promise<boolean> {
    return (await this.byTestId(id).count()) > 0
  }

  /** The failure colour (`--bad` of the stylesheet) as computed styles report it: `rgb(r, g, b)`. */
  async failureColour(): Promise<string> {
    const hex = await this.page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bad').trim())
    return `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`
  }

  /** An element's text, background and border colours. */
  async colours(id: TestId): Promise<string[]> {
    return this.page.evaluate((id) => {
      const style = getComputedStyle(document.querySelector(`[data-testid="${id}"]`)!)
      return [style.color, style.backgroundColor, style.borderColor]
    }, id)
  }

  runIdInUrl(): string | null {
    return new URL(this.page.url()).searchParams.get('run')
  }

  /** What the page showed since it loaded, read from the recorder installed by `open`. */
  async shown(): Promise<Shown> {
    return this.page.evaluate(() => (window as unknown as { __shown: Shown }).__shown)
  }

  async shownTexts(): Promise<string[]> {
    return (await this.shown()).texts
  }

  private async saveArtifacts(testName: string): Promise<void> {
    mkdirSync(artifactsDir, { recursive: true })
    const file = `${artifactsDir}${this.framework}-${testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`
    writeFileSync(`${file}.log`, `${this.page.url()}\n\n${this.console.join('\n')}\n`)
    await this.page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => {})
  }
}

export interface Shown {
  /** Each distinct value of the streaming text, in order. */
  texts: string[]
  /** Whether the reconnecting banner was ever on screen. */
  reconnectingBanner: boolean
}

/**
 * Runs in the page before the app and records what it shows on every DOM
 * change, so a test can check every intermediate text, not only the last one
 * (a duplicated word that is later overwritten still fails), and see a banner
 * that was up for only a moment.
 */
function recordShown(testIds: { text: string; reconnecting: string }): void {
  const shown: Shown = { texts: [], reconnectingBanner: false }
  ;(window as unknown as { __shown: Shown }).__shown = shown
  const record = () => {
    const text = (document.querySelector(`[data-testid="${testIds.text}"]`)?.textContent ?? '').trim()
    if (text !== shown.texts[shown.texts.length - 1]) shown.texts.push(text)
    if (document.querySelector(`[data-testid="${testIds.reconnecting}"]`)) shown.reconnectingBanner = true
  }
  new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true })
}
