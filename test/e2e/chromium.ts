import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium (installed by `.ci/run` with apt): never a browser download. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** A missing browser is a failed run, not a skipped suite. */
export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. The e2e suite needs Debian's chromium: \`apt-get install chromium\` ` +
        '(or set CHROMIUM_PATH). It does not download a browser.',
    )
  }
}

/** Playwright gives each launch a fresh temporary profile (its own --user-data-dir). */
export function launchChromium(): Promise<Browser> {
  assertChromium()
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
