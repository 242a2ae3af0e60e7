import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningBallast, startBallast } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import { formatDecimal } from '@ballast/sdk'
import { createBallastClient, DashboardPoolDocument, DashboardPoolsDocument } from '@ballast/sdk/client'
import { evaluatePool, parsePoolState } from '@ballast/sdk/math'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser/launchBrowser.js'

// The dashboard in a real headless Chromium against `startBallast` (indexer + API + the built
// web/dist) on a real devnet. One devnet, one server and one browser for the whole file; the
// tests run in order and share the page. The relayer is manual and the devnet has no live
// activity, so the figures move only when a test makes them.
const root = join(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'ballast-dashboard-'))
let devnet: Devnet | undefined
let ballast: RunningBallast | undefined
let browser: Browser | undefined
let page: Page
const consoleErrors: string[] = []
let client: ReturnType<typeof createBallastClient>
let mainId: string

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(root, 'web', 'scripts', 'buildIfChanged.mjs')], {
    encoding: 'utf8',
  })
  expect(build.status, build.stderr).toBe(0)
  devnet = await startDevnet({ chains: 3, scenario: 'steady', seed: 3, relay: 'manual' })
  const config = defineConfig(
    configFromDevnetManifest(devnet.manifest, { database: { kind: 'sqlite', file: join(dir, 'db.sqlite') } }),
  )
  ballast = await startBallast({
    config,
    port: 0,
    logger: false,
    progress: false,
    api: { logging: false, pollIntervalMs: 200, dashboardDir: join(root, 'web', 'dist') },
  })
  client = createBallastClient({ url: ballast.url })
  const { pools } = await client.request(DashboardPoolsDocument)
  mainId = pools.nodes.find((p) => p.name === 'ballast-main')!.id
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await ballast?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** The exact value (`<data value>`) of a figure. */
const exact = (testId: string) => page.getAttribute(`[data-testid="${testId}"]`, 'value')

/** Every exact figure of a table, row by row (the row's first cell, then each figure's value). */
function tableFigures(testId: string): Promise<string[][]> {
  return page.$$eval(`[data-testid="${testId}"] tbody tr`, (rows) =>
    rows.map((r) => [
      (r.querySelector('th,td')?.textContent ?? '').trim(),
      ...[...r.querySelectorAll('data')].map((d) => d.value),
    ]),
  )
}

/** The text a selector shows on screen (rendered text, as a reader sees it). */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text wanted here
const shown = (selector: string) => page.innerText(selector)

async function open(hash: string, ready: string) {
  await page.goto(`${ballast!.origin}/${hash}`)
  await page.waitForSelector(ready)
}

describe('dashboard in a browser', () => {
  it('serves the built dashboard at / beside /graphql, and GraphiQL opens on a Ballast query', async () => {
    const res = await fetch(`${ballast!.origin}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('<title>Ballast dashboard</title>')
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const js = await fetch(`${ballast!.origin}${script}`)
    expect(js.headers.get('cache-control')).toContain('immutable')
    expect((await fetch(`${ballast!.origin}/../package.json`)).status).toBe(404)
    const graphiql = await (await fetch(ballast!.url, { headers: { accept: 'text/html' } })).text()
    expect(graphiql).toContain('Ballast GraphiQL')
    expect(graphiql).toContain('query PoolHealth')
  })

  it('Pools: every pool with the API figures at the same time', async () => {
    await open('#/', '[data-testid="pools-table"] tbody tr')
    const { pools } = await client.request(DashboardPoolsDocument)
    const rows = await tableFigures('pools-table')
    expect(rows.map((r) => r[0]).sort()).toEqual(pools.nodes.map((p) => p.name).sort())
    for (const p of pools.nodes) {
      const row = rows.find((r) => r[0] === p.name)!
      expect(row.slice(1, 6)).toEqual([
        p.reserveRatio,
        p.minRatio,
        p.targetRatio,
        p.adjustedReservesUsd,
        p.liabilitiesUsd,
      ])
      // The rounded text is the exact figure rounded, not a float's digits.
      const text = await shown(`[data-testid="ratio-${p.id}"]`)
      expect(p.reserveRatio!.startsWith(text.slice(0, 4))).toBe(true)
    }
    expect(await shown('[data-testid="lag-table"]')).toContain('alpha')
    await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
    expect(await shown('[data-testid="indexed-31337"]')).toMatch(/alpha: block \d+ at 20\d\d-/)
  })

  it('Pool: figures, tables and the sdk in the browser agree with the API for the same block', async () => {
    await open(`#/pool/${mainId}`, '[data-testid="pool-ratio"]')
    const at = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at })
    expect(await exact('pool-ratio')).toBe(pool.reserveRatio)
    expect(await exact('pool-adjusted')).toBe(pool.adjustedReservesUsd)
    expect(await exact('pool-liabilities')).toBe(pool.liabilitiesUsd)
    expect(await shown('[data-testid="pool-blocks"]')).toBe(
      pool.blocks
        .map((b) => `${pool.chains.find((c) => c.chainId === b.chainId)!.name} ${b.block}`)
        .join(', '),
    )
    expect(await tableFigures('members-table')).toEqual(
      pool.members.nodes.map((m) => [
        m.name,
        m.reserveRatio,
        m.adjustedReservesUsd,
        m.reservesUsd,
        m.liabilitiesUsd,
      ]),
    )
    expect(await tableFigures('chains-table')).toEqual(
      pool.chains.map((c) => [
        c.name,
        c.reserveRatio,
        c.adjustedReservesUsd,
        c.reservesUsd,
        c.liabilitiesUsd,
      ]),
    )
    expect(await tableFigures('assets-table')).toEqual(
      pool.assets.map((a) => [
        a.symbol,
        a.priceUsd,
        a.haircut,
        a.amount,
        a.reservesUsd,
        a.adjustedReservesUsd,
        ...(a.liquidationPriceUsd === null ? [] : [a.liquidationPriceUsd]),
      ]),
    )
    // evaluatePool ran in the browser on the API's state: the same pooled ratio as the API's.
    const e = evaluatePool(parsePoolState(pool.state), { poolId: mainId })
    expect(await exact('browser-ratio')).toBe(pool.reserveRatio)
    expect(pool.reserveRatio).toBe(e.reserveRatio === null ? null : formatDecimal(e.reserveRatio, 18))
    // The ratio chart drew the history (a canvas with points).
    await page.waitForSelector('.chart canvas')
    expect(Number((await shown('[data-testid="history-count"]')).split(' ')[0])).toBeGreaterThan(1)
  })

  it('Live: a devnet step changes the pooled ratio on screen without a reload', async () => {
    await open(`#/pool/${mainId}`, '[data-testid="pool-ratio"]')
    await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
    await page.evaluate(() => {
      ;(window as unknown as { notReloaded: boolean }).notReloaded = true
    })
    const before = await exact('pool-ratio')
    await devnet!.runner.step()
    await page.waitForFunction(
      (old) => document.querySelector<HTMLDataElement>('[data-testid="pool-ratio"]')?.value !== old,
      before,
      { timeout: 30_000 },
    )
    const at = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at })
    expect(await exact('pool-ratio')).toBe(pool.reserveRatio)
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
  })

  it('Pool: the time-travel picker shows the pool at an earlier time', async () => {
    await open(`#/pool/${mainId}`, '[data-testid="pool-ratio"]')
    const now = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    const earlier = now - 600
    await page.fill('#at-input', new Date(earlier * 1000).toISOString().slice(0, 19))
    await page.click('form.time-travel button[type="submit"]')
    await page.waitForSelector(`[data-testid="shown-at"][data-at="${earlier}"]`)
    expect(page.url()).toContain(`?at=${earlier}`)
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at: earlier })
    expect(await exact('pool-ratio')).toBe(pool.reserveRatio)
    expect(await shown('[data-testid="shown-at"]')).toContain('Time travel')
  })

  it('an unknown pool id shows a clear message', async () => {
    await open('#/pool/0xdeadbeef', '[data-testid="query-error"]')
    const text = await shown('[data-testid="query-error"]')
    expect(text).toContain('Unknown pool')
    expect(text).toContain('0xdeadbeef')
    expect(await page.getAttribute('[data-testid="query-error"]', 'role')).toBe('alert')
  })

  it('logs no console errors on any page', () => {
    expect(consoleErrors).toEqual([])
  })
})
