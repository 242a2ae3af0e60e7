import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium, which the bootstrap installs for the targets that need it. */
export const chromiumPath = process.env.BALLAST_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Starts headless Chromium through playwright-core (Playwright's own browser download cannot work
 * here; the system's Chromium can). Playwright gives each launch a fresh empty profile; the flags
 * stop Chromium's background connections (updates, sync, field trials), which a machine without
 * general internet access refuses.
 *
 * @returns the browser; `close()` it.
 * @example
 * ```ts
 * const browser = await launchBrowser()
 * const page = await browser.newPage()
 * await browser.close()
 * ```
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
