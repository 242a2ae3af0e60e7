import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createKeeper,
  createKeeperJournal,
  definePolicy,
  type RunningBallast,
  startBallast,
} from '@ballast/api'
import { advanceTime, type Devnet, sendOft, startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import { formatDecimal, parseDecimal } from '@ballast/sdk'
import {
  createBallastClient,
  DashboardMembersDocument,
  DashboardPoolDocument,
  DashboardPoolsDocument,
  type DashboardPoolsQuery,
  KeeperDecisionsDocument,
  RebalancePlanDocument,
  RecommendationsDocument,
  RiskBacktestDocument,
} from '@ballast/sdk/client'
import {
  evaluatePool,
  monteCarloStress,
  parsePoolState,
  runStressTest,
  type StressScenario,
  shockedPrices,
  stressScenarios,
} from '@ballast/sdk/math'
import type { Browser, Page } from 'playwright-core'
import { erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatTime } from '../web/src/format/formatTime.js'
import { riskPanelParameters } from '../web/src/views/riskPanelParameters.js'
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
  // The devnet's feeds give no `maxAge`: each gets the default one-day heartbeat, which a test
  // moves the clock past.
  const config = defineConfig(
    configFromDevnetManifest(devnet.manifest, { database: { kind: 'sqlite', file: join(dir, 'db.sqlite') } }),
  )
  ballast = await startBallast({
    config,
    port: 0,
    logger: false,
    progress: false,
    api: { logging: false, pollIntervalMs: 200, dashboardDir: join(root, 'web', 'dist') },
    // Devnet, indexer, API and the risk panel's Monte Carlo share this one test process: on a
    // loaded 2-core machine a long computation can hold the event loop past the 10 s default, and
    // Node then answers a waiting request 408. The limits themselves are tested in serveApi.test.ts.
    serverLimits: { headersTimeoutMs: 60_000, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 60_000 },
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

/**
 * Every cell of a table, row by row: a cell's exact figure (`<data value>`) when it holds one, else
 * its text.
 */
function tableCells(testId: string): Promise<string[][]> {
  return page.$$eval(`[data-testid="${testId}"] tbody tr`, (rows) =>
    rows.map((r) =>
      [...r.querySelectorAll('th,td')].map(
        (c) => c.querySelector('data')?.value ?? (c.textContent ?? '').trim(),
      ),
    ),
  )
}

/** The text a selector shows on screen (rendered text, as a reader sees it). */
// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text wanted here
const shown = (selector: string) => page.innerText(selector)

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's serious and critical violations on the page as it is now. */
async function axeViolations(): Promise<string[]> {
  await page.addScriptTag({ content: axeSource })
  return page.evaluate(async () => {
    type Result = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
    }
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<Result> } }).axe
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
}

/**
 * Tabs through the page from the top and returns the visible controls (links, buttons, inputs,
 * selects, text areas, summaries) that the keyboard never reached.
 */
async function unreachableByTab(): Promise<string[]> {
  const count = await page.evaluate(() => {
    const controls = [
      ...document.querySelectorAll('a[href], button:not([disabled]), input, select, textarea, summary'),
    ].filter((e) => (e as HTMLElement).checkVisibility())
    for (const [i, e] of controls.entries()) e.setAttribute('data-kbd', String(i))
    // Start from the top: focus a point before every control (not itself in the tab order).
    const start = document.createElement('span')
    start.tabIndex = -1
    document.body.prepend(start)
    start.focus()
    const reached = new Set<string>()
    ;(window as unknown as { reached: Set<string> }).reached = reached
    document.addEventListener('focusin', (e) => {
      const k = (e.target as Element).getAttribute('data-kbd')
      if (k !== null) reached.add(k)
    })
    return controls.length
  })
  // A date-time field takes one Tab per part (day, month, year, ...): allow for it.
  for (let i = 0; i < count * 2 + 10; i++) await page.keyboard.press('Tab')
  return page.evaluate(() => {
    const { reached } = window as unknown as { reached: Set<string> }
    return [...document.querySelectorAll('[data-kbd]')]
      .filter((e) => !reached.has(e.getAttribute('data-kbd')!))
      .map((e) => e.outerHTML.slice(0, 80))
  })
}

/** Every view, with what shows it is ready. */
const views = () => [
  { hash: '#/', ready: '[data-testid="pools-table"] tbody tr' },
  { hash: `#/pool/${mainId}`, ready: '.chart canvas' },
  { hash: `#/pool/${mainId}/what-if`, ready: '[data-testid="scenarios-table"] tbody tr' },
  { hash: `#/pool/${mainId}/member`, ready: '[data-testid="proof-verdict"]' },
  { hash: `#/pool/${mainId}/rebalance`, ready: '[data-testid="coverage-table"]' },
  { hash: '#/pool/0xdeadbeef', ready: '[data-testid="query-error"]' },
]

/**
 * The Pools page's status cell of every pool against the API: the label is the API's `status`, or
 * DEGRADED while /healthz judges a chain lagging; the reasons beside it are the API's `degraded`
 * messages in order, then the lagging chains, and a pool below its target or minimum says which.
 */
async function expectPoolsStatusAsApi(pools: DashboardPoolsQuery['pools']['nodes']) {
  const healthz = (await (await fetch(`${ballast!.origin}/healthz`)).json()) as {
    chains: { name: string; lagBlocks: string; ok: boolean }[]
    degraded: { poolId: string; status: string }[]
  }
  expect(healthz.chains.length).toBe(3)
  const lagging = healthz.chains.filter((c) => !c.ok)
  for (const p of pools) {
    const cell = `[data-pool-id="${p.id}"] .status`
    const label =
      p.status === 'BELOW_MINIMUM'
        ? 'BELOW MINIMUM'
        : p.status === 'DEGRADED' || lagging.length > 0
          ? 'DEGRADED'
          : p.status.replaceAll('_', ' ')
    expect(await page.textContent(`${cell} .badge`), p.name).toBe(label)
    expect(
      healthz.degraded.some((d) => d.poolId === p.id),
      p.name,
    ).toBe(p.degraded.length > 0)
    const reasons = (await page.$$eval(`${cell} .reasons`, (r) => r.map((e) => e.textContent ?? '')))[0] ?? ''
    let from = 0
    for (const d of p.degraded) {
      const i = reasons.indexOf(d.message, from)
      expect(i, `${p.name}: ${d.message} in ${reasons}`).toBeGreaterThanOrEqual(from)
      from = i + d.message.length
    }
    for (const c of lagging) expect(reasons).toContain(`chain ${c.name} lags ${c.lagBlocks} blocks`)
    if (p.status === 'BELOW_MINIMUM') expect(reasons).toContain(`is below the minimum ${p.minRatio}`)
    else if (p.status === 'BELOW_TARGET') expect(reasons).toContain(`is below the target ${p.targetRatio}`)
    else if (p.degraded.length === 0 && lagging.length === 0) expect(reasons).toBe('')
  }
}

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
    const { pools, _meta } = await client.request(DashboardPoolsDocument)
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
    await expectPoolsStatusAsApi(pools.nodes)
    // The lag per chain: the API's indexed block, its time, the head and the lag, row for row.
    expect(_meta.chains.length).toBe(3)
    expect(await tableCells('lag-table')).toEqual(
      _meta.chains.map((c) => [
        c.name,
        c.indexedBlock,
        c.indexedTimestamp === null ? '—' : formatTime(c.indexedTimestamp),
        c.headBlock,
        c.lagBlocks,
      ]),
    )
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
    // Where reserves sit (computed in the browser from the state): each cell is the sdk's in Node on
    // the same state, the cells of a chain add up to the API's figure for that chain and those of an
    // asset to the API's for that asset, and the chart's bars have the same proportions.
    const e = evaluatePool(parsePoolState(pool.state), { poolId: mainId })
    const reserves = await tableCells('reserves-table')
    const usdOf = (x: string) => parseDecimal(x, 18)
    const cellSum = (column: number, key: string) =>
      reserves.filter((r) => r[column] === key).reduce((sum, r) => sum + usdOf(r[2]!), 0n)
    const nodeCells = new Map<string, bigint>()
    for (const m of e.members)
      for (const p of m.positions) {
        const key = `${e.chains.find((c) => c.chainId === p.chainId)!.name}/${p.asset}`
        nodeCells.set(key, (nodeCells.get(key) ?? 0n) + p.adjustedUsd)
      }
    expect(reserves.length).toBeGreaterThan(pool.chains.length)
    expect(new Map(reserves.map((r) => [`${r[0]}/${r[1]}`, usdOf(r[2]!)]))).toEqual(nodeCells)
    for (const c of pool.chains) expect(cellSum(0, c.name), c.name).toBe(usdOf(c.adjustedReservesUsd))
    for (const a of pool.assets) expect(cellSum(1, a.symbol), a.symbol).toBe(usdOf(a.adjustedReservesUsd))
    const bars = await page.$$eval('svg.reserves-chart rect:has(title)', (rects) =>
      rects.map((r) => ({
        title: r.querySelector('title')!.textContent!,
        width: Number(r.getAttribute('width')),
      })),
    )
    const chainWidth = (name: string) =>
      bars.filter((b) => b.title.endsWith(` on ${name}`)).reduce((sum, b) => sum + b.width, 0)
    const widest = pool.chains.reduce((a, b) =>
      usdOf(a.adjustedReservesUsd) >= usdOf(b.adjustedReservesUsd) ? a : b,
    )
    for (const c of pool.chains) {
      const share =
        Number((usdOf(c.adjustedReservesUsd) * 10n ** 6n) / usdOf(widest.adjustedReservesUsd)) / 1e6
      expect(chainWidth(c.name) / chainWidth(widest.name), c.name).toBeCloseTo(share, 4)
    }
    // The server's status and reasons: each reason listed with its code and asset; a DEGRADED or
    // BELOW MINIMUM pool says so whatever the lag.
    const listed = await page.$$eval('[data-testid="pool-degraded"] li', (items) =>
      items.map((li) => ({
        code: li.getAttribute('data-code'),
        asset: li.getAttribute('data-asset'),
        text: li.textContent,
      })),
    )
    expect(listed.map((l) => [l.code, l.asset])).toEqual(pool.degraded.map((d) => [d.code, d.asset]))
    for (const [i, d] of pool.degraded.entries()) expect(listed[i]?.text).toContain(d.message)
    if (pool.status === 'DEGRADED' || pool.status === 'BELOW_MINIMUM')
      expect(await page.textContent('[data-testid="pool-status"]')).toBe(pool.status.replace('_', ' '))
    // evaluatePool ran in the browser on the API's state: the same pooled ratio as the API's.
    expect(await exact('browser-ratio')).toBe(pool.reserveRatio)
    expect(pool.reserveRatio).toBe(e.reserveRatio === null ? null : formatDecimal(e.reserveRatio, 18))
    // The ratio chart drew the history (a canvas with points).
    await page.waitForSelector('.chart canvas')
    expect(Number((await shown('[data-testid="history-count"]')).split(' ')[0])).toBeGreaterThan(1)
  })

  it('Pool: the risk panel shows the API backtest zone per asset and its recommendations', async () => {
    await open(`#/pool/${mainId}`, '[data-testid="recommendations-table"]')
    await page.waitForSelector('[data-testid="backtest-table"]')
    const { pool } = await client.request(RiskBacktestDocument, {
      id: mainId,
      ...riskPanelParameters.backtest,
    })
    const series = [
      ...pool.backtest.assets,
      ...(pool.backtest.pooledRatio === null ? [] : [pool.backtest.pooledRatio]),
    ]
    expect(series.length).toBeGreaterThan(1)
    for (const s of series)
      expect(await page.getAttribute(`[data-testid="backtest-zone-${s.subject}"]`, 'data-zone')).toBe(s.zone)
    const { pool: rec } = await client.request(RecommendationsDocument, {
      id: mainId,
      ...riskPanelParameters.recommendations,
    })
    const rows = [
      ...rec.recommendations.haircutFloors,
      ...(rec.recommendations.minimumRatio === null ? [] : [rec.recommendations.minimumRatio]),
    ]
    expect(rows.length).toBeGreaterThan(0)
    expect((await tableFigures('recommendations-table')).map((r) => r.slice(1))).toEqual(
      rows.map((x) => [x.current, x.recommended]),
    )
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
    // A step mines on every chain and the indexer reports them one by one, so the page can render an
    // intermediate state whose time a later block of another chain shares. Read the shown time and
    // ratio from one render, and wait until they agree with the API's answer at that time.
    const shownPair = () =>
      page.evaluate(() => ({
        at: Number(document.querySelector('[data-testid="shown-at"]')?.getAttribute('data-at')),
        ratio: document.querySelector<HTMLDataElement>('[data-testid="pool-ratio"]')?.value,
      }))
    await expect
      .poll(
        async () => {
          const shownNow = await shownPair()
          const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at: shownNow.at })
          return shownNow.ratio === pool.reserveRatio
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    expect((await shownPair()).ratio).not.toBe(before)
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
  })

  it('Pool: the time-travel picker shows the pool at an earlier time', async () => {
    await open(`#/pool/${mainId}`, '[data-testid="pool-ratio"]')
    const now = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    // Before every chain's indexed time: a chain whose newest block is older than the time asked
    // reads at its indexed block, which moves as the devnet steps (chains' times differ by minutes).
    const { _meta } = await client.request(DashboardPoolsDocument)
    const oldest = Math.min(..._meta.chains.map((c) => Number(c.indexedTimestamp)))
    const earlier = Math.min(now - 600, oldest - 60)
    await page.fill('#at-input', new Date(earlier * 1000).toISOString().slice(0, 19))
    await page.click('form.time-travel button[type="submit"]')
    await page.waitForSelector(`[data-testid="shown-at"][data-at="${earlier}"]`)
    expect(page.url()).toContain(`?at=${earlier}`)
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at: earlier })
    // The time label can update a render before the figures of that time: wait for them.
    await expect.poll(() => exact('pool-ratio'), { timeout: 10_000 }).toBe(pool.reserveRatio)
    expect(await shown('[data-testid="shown-at"]')).toContain('Time travel')
  })

  it('What-if: sliders (from the keyboard) recompute the ratio in the browser exactly as the sdk does in Node', async () => {
    await open(`#/pool/${mainId}/what-if`, '[data-testid="what-if-ratio"]')
    const at = Number(await page.getAttribute('[data-testid="what-if-view"]', 'data-at'))
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at })
    const state = parsePoolState(pool.state)
    expect(await exact('what-if-base')).toBe(pool.reserveRatio)
    expect(await exact('what-if-ratio')).toBe(pool.reserveRatio)
    // WETH down 30 %: 30 presses of the left arrow on its slider.
    await page.focus('#shock-WETH')
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft')
    await page.waitForSelector('output[for="shock-WETH"]:has-text("-30 %")')
    const wethDown: StressScenario = { name: 'n', description: '', priceShocks: { WETH: -(3n * 10n ** 17n) } }
    const base = evaluatePool(state, { poolId: mainId })
    const shocked = evaluatePool(state, {
      poolId: mainId,
      priceOverrides: shockedPrices(state, wethDown).overrides,
      haircuts: new Map(base.haircuts.map((h) => [h.asset, h])),
    })
    expect(await exact('what-if-ratio')).toBe(formatDecimal(shocked.reserveRatio!, 18))
    expect(shocked.reserveRatio).toBeLessThan(base.reserveRatio!)
    // Every member's ratio, now and what-if, is evaluatePool's in Node on the same inputs.
    const ratioOf = (x: bigint | null) => (x === null ? '' : formatDecimal(x, 18))
    const memberRows = (now: typeof base, after: typeof base) =>
      now.members
        .map((m) => [
          m.name,
          ratioOf(m.reserveRatio),
          ratioOf(after.members.find((x) => x.memberId === m.memberId)!.reserveRatio),
        ])
        .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
    const byName = (rows: string[][]) => [...rows].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
    const shockedMembers = memberRows(base, shocked)
    expect(shockedMembers.length).toBeGreaterThan(1)
    expect(shockedMembers.some((r) => r[1] !== r[2])).toBe(true)
    expect(byName(await tableFigures('what-if-members'))).toEqual(shockedMembers)
    // And 10 % of liabilities redeemed.
    await page.focus('#run-off')
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight')
    await page.waitForSelector('output[for="run-off"]:has-text("10 %")')
    const run = runStressTest(state, { ...wethDown, runOffRate: 10n ** 17n }, { poolId: mainId })
    expect(await exact('what-if-ratio')).toBe(formatDecimal(run.stressed.reserveRatio!, 18))
    const runMembers = memberRows(run.base, run.stressed)
    expect(runMembers).not.toEqual(shockedMembers)
    expect(byName(await tableFigures('what-if-members'))).toEqual(runMembers)
    // The named scenarios, run in the browser, equal the sdk's in Node.
    const rows = await tableFigures('scenarios-table')
    expect(rows).toEqual(
      stressScenarios.map((sc) => {
        const r = runStressTest(state, sc, { poolId: mainId }).stressed.reserveRatio
        return [sc.name, r === null ? '' : formatDecimal(r, 18)]
      }),
    )
  })

  it('What-if: Monte Carlo in a web worker gives the sdk-in-Node figures for the same seed', async () => {
    await open(`#/pool/${mainId}/what-if`, '[data-testid="what-if-ratio"]')
    const at = Number(await page.getAttribute('[data-testid="what-if-view"]', 'data-at'))
    await page.fill('#mc-paths', '2000')
    await page.fill('#mc-seed', '7')
    await page.fill('#mc-horizon', '10')
    // The page starts the worker on the first run, from its own origin's built chunk.
    expect(page.workers()).toEqual([])
    const started = page.waitForEvent('worker')
    await page.press('#mc-horizon', 'Enter')
    const worker = await started
    const workerUrl = new URL(worker.url())
    expect(workerUrl.origin).toBe(ballast!.origin)
    expect(workerUrl.pathname).toMatch(/^\/assets\/monteCarlo\.worker-[\w-]+\.js$/)
    await page.waitForSelector('[data-testid="mc-result"][data-status="done"]', { timeout: 30_000 })
    // One worker for the page, still there for the next run.
    expect(page.workers().map((w) => w.url())).toEqual([worker.url()])
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at })
    const r = monteCarloStress(parsePoolState(pool.state), {
      poolId: mainId,
      paths: 2000,
      seed: 7,
      horizonDays: 10,
    })
    expect(Number(await exact('mc-var'))).toBe(r.ratioVaR)
    expect(Number(await exact('mc-es'))).toBe(r.ratioExpectedShortfall)
    expect(Number(await exact('mc-p1'))).toBe(r.probabilityBelowOne)
    expect(Number(await exact('mc-pmin'))).toBe(r.probabilityBelowMinimum)
    expect(await exact('mc-loss-var')).toBe(formatDecimal(r.lossVaRUsd, 18))
    expect(Number(await exact('mc-q-0.99'))).toBe(r.ratioQuantile)
  })

  it('Member: figures, holdings and a proof verified in the browser; a tampered proof fails with the reason', async () => {
    await open(`#/pool/${mainId}/member`, '[data-testid="proof-verdict"]')
    const memberId = await page.getAttribute('[data-testid="member-view"]', 'data-member-id')
    const { members } = await client.request(DashboardMembersDocument, { poolId: mainId })
    const member = members.nodes.find((m) => m.id === memberId)!
    expect(await exact('member-ratio')).toBe(member.reserveRatio)
    expect(await exact('member-liabilities')).toBe(member.liabilitiesUsd)
    expect((await tableFigures('holdings-table')).map((r) => r[1])).toEqual(
      member.holdings.map((h) => h.amount),
    )
    expect(await page.getAttribute('[data-testid="proof-verdict"]', 'data-ok')).toBe('true')
    expect(await shown('[data-testid="proof-verdict"]')).toContain('Verified in your browser')
    // Raise the member's leaf amount by one unit in the editable copy: the root no longer matches.
    await page.click('details:has(#proof-text) > summary')
    const text = await page.inputValue('#proof-text')
    const amount = /"amount": "(\d+)"/.exec(text)![1]!
    await page.fill(
      '#proof-text',
      text.replace(`"amount": "${amount}"`, `"amount": "${BigInt(amount) + 1n}"`),
    )
    await page.click('form:has(#proof-text) button[type="submit"]')
    await page.waitForSelector('[data-testid="proof-check"]')
    expect(await page.getAttribute('[data-testid="proof-check"]', 'data-ok')).toBe('false')
    expect(await shown('[data-testid="proof-check"]')).toMatch(
      /Fails verification in your browser: (hash|total)-mismatch/,
    )
  })

  it('In flight: a bridge transfer sent and not relayed shows on the pool and member views as the API lists it, and leaves once relayed', async () => {
    const d = devnet!
    const usdc = d.manifest.assets.find((a) => a.symbol === 'USDC')!
    const home = d.chains.find((c) => c.chainId === usdc.homeChainId)!
    const to = d.chains.find((c) => c !== home)!
    const { members } = await client.request(DashboardMembersDocument, { poolId: mainId })
    const manifestPool = d.manifest.pools.find((p) => p.id === mainId)!
    const sender = manifestPool.members.find((m) => members.nodes.some((n) => n.id === m.id))!
    const holder = sender.holders[home.chainId]![0]!
    const balance = await home.public.readContract({
      address: usdc.tokens[home.chainId]!.token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [holder],
    })
    // Half the holder's USDC on its home chain, to another chain (the relayer is manual: it stays
    // in flight until the test relays it).
    const amount = balance / 2n
    expect(amount).toBeGreaterThan(0n)
    await sendOft({
      chain: home,
      oft: usdc.tokens[home.chainId]!.oft,
      from: holder,
      dstEid: to.eid,
      to: holder,
      amount,
    })
    const amountText = formatDecimal(amount, usdc.decimals)
    const sent = [sender.name, 'USDC', home.name, to.name, amountText]

    // Pool view: the table is the API's in-flight list of the pool's members at the time shown.
    await open(`#/pool/${mainId}`, `[data-testid="in-flight-table"] data[value="${amountText}"]`)
    const at = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    const { pool } = await client.request(DashboardPoolDocument, { id: mainId, at })
    const chainName = (id: number) => pool.chains.find((c) => c.chainId === id)!.name
    const listed = pool.members.nodes.flatMap((m) =>
      m.inFlight.map((t) => [m.name, t.asset, chainName(t.fromChainId), chainName(t.toChainId), t.amount]),
    )
    expect(listed).toContainEqual(sent)
    expect(await tableCells('in-flight-table')).toEqual(listed)

    // Member view: the sender's transfers in flight and its liabilities per chain, as the API has them.
    await open(
      `#/pool/${mainId}/member/${sender.id}`,
      `[data-testid="member-in-flight"] data[value="${amountText}"]`,
    )
    await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
    const member = (await client.request(DashboardMembersDocument, { poolId: mainId })).members.nodes.find(
      (m) => m.id === sender.id,
    )!
    expect(
      member.inFlight.map((t) => [t.asset, chainName(t.fromChainId), chainName(t.toChainId), t.amount]),
    ).toContainEqual(sent.slice(1))
    expect(await tableCells('member-in-flight')).toEqual(
      member.inFlight.map((t) => [t.asset, chainName(t.fromChainId), chainName(t.toChainId), t.amount]),
    )
    expect(member.liabilities.length).toBe(pool.chains.length)
    expect(await tableCells('liabilities-table')).toEqual(
      member.liabilities.map((l) => [chainName(l.chainId), l.symbol, l.supply]),
    )

    // Relayed: nothing in flight any more, on either view, as the API says.
    for (const c of d.chains) await c.test.mine({ blocks: d.options.confirmations })
    await d.relayer.poll()
    expect(d.relayer.pending()).toEqual([])
    await page.waitForSelector('h2:has-text("In flight") + p:has-text("Nothing in flight.")', {
      timeout: 30_000,
    })
    const after = (await client.request(DashboardMembersDocument, { poolId: mainId })).members.nodes
    expect(after.find((m) => m.id === sender.id)!.inFlight).toEqual([])
    await open(`#/pool/${mainId}`, '[data-testid="in-flight-none"]')
    const atAfter = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    const { pool: relayed } = await client.request(DashboardPoolDocument, { id: mainId, at: atAfter })
    expect(relayed.members.nodes.flatMap((m) => m.inFlight)).toEqual([])
    expect(await shown('[data-testid="in-flight-none"]')).toBe('None: every transfer sent has been received.')
  })

  it('Rebalance: the planner plan by wave with costs and coverage, as the API gives it', async () => {
    await open(`#/pool/${mainId}/rebalance`, '[data-testid="plan-feasible"]')
    // Chain names come with the live status.
    await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
    const { pool } = await client.request(RebalancePlanDocument, { id: mainId, objective: 'CHEAPEST' })
    const plan = pool.rebalancePlan
    expect(await shown('[data-testid="plan-feasible"]')).toBe(plan.feasible ? 'yes' : 'no')
    expect(await shown('[data-testid="plan-count"]')).toBe(String(plan.transfers.length))
    expect(await exact('plan-cost')).toBe(plan.totalCostUsd)
    const coverage = await tableFigures('coverage-table')
    expect(coverage.map((r) => r.slice(1))).toEqual(
      plan.chains.map((c) => [c.target, c.before, c.after, c.coverageBefore ?? '', c.coverageAfter ?? '']),
    )
    // The steady scenario (seed 3) leaves chains' reserves out of line with the liabilities
    // circulating there: the plan moves reserves (this test needs transfers to compare).
    expect(plan.transfers.length).toBeGreaterThan(0)
    const chainName = (id: number) => plan.chains.find((c) => c.chainId === id)!.name
    const waves = [...new Set(plan.transfers.map((t) => t.wave))].sort((a, b) => a - b)
    expect(
      await page.$$eval('table[data-testid^="wave-"]', (t) => t.map((x) => x.getAttribute('data-testid'))),
    ).toEqual(waves.map((w) => `wave-${w}`))
    for (const w of waves) {
      expect(await tableCells(`wave-${w}`)).toEqual(
        plan.transfers
          .filter((t) => t.wave === w)
          .map((t) => [
            t.asset,
            chainName(t.fromChainId),
            chainName(t.toChainId),
            t.amount,
            t.costUsd,
            `${t.deliveredAfterSeconds} s`,
          ]),
      )
    }
  })

  it("Rebalance: the keeper's decisions and pending actions, as the API gives them", async () => {
    await open(`#/pool/${mainId}/rebalance`, '[data-testid="keeper-panel"]')
    await page.waitForSelector('[data-testid="keeper-empty"]')
    // A keeper (observe mode) decides on this pool, over the same database the dashboard reads.
    const d = devnet!
    const keeper = createKeeper({
      policy: definePolicy({
        name: 'dashboard watch',
        pool: mainId,
        treasury: { [String(d.chains[0]!.chainId)]: d.deployment.accounts.at(-1)! },
        triggers: [{ id: 'low', kind: 'pooled-ratio-below', ratio: '100' }],
        actions: [{ kind: 'alert' }],
        limits: { perActionUsd: '1000', perDayUsd: '1000', cooldownSeconds: 0 },
      }),
      mode: 'observe',
      dataSource: ballast!.dataSource,
      journal: createKeeperJournal(ballast!.database.db),
      clients: Object.fromEntries(d.chains.map((c) => [c.chainId, c.public])),
      assets: {},
    })
    await keeper.decide()
    await keeper.decide()
    // The API's answers may be up to its cache's 500 ms behind the database: until it has them.
    await expect
      .poll(
        async () =>
          (await client.request(KeeperDecisionsDocument, { id: mainId, first: 10 })).pool.decisions.nodes
            .length,
        {
          timeout: 10_000,
        },
      )
      .toBe(2)
    // The same hash does not reload the page: load it again.
    await page.reload()
    await page.waitForSelector('[data-testid="keeper-decisions"]')
    const { pool } = await client.request(KeeperDecisionsDocument, { id: mainId, first: 10 })
    expect(pool.decisions.nodes.map((n) => n.id)).toEqual(['dashboard-watch-2', 'dashboard-watch-1'])
    expect(await tableCells('keeper-decisions')).toEqual(
      pool.decisions.nodes.map((n) => [
        n.id,
        'observe',
        new Date(n.at * 1000).toISOString(),
        n.triggered.map((t) => t.reason).join('; '),
        n.actions.map((a) => `${a.actionId}: ${a.status} (${a.reason})`).join('; '),
      ]),
    )
    expect(pool.pendingActions).toEqual([])
    expect(await tableCells('keeper-pending')).toEqual([['None.']])
  })

  it('an unknown pool id shows a clear message', async () => {
    await open('#/pool/0xdeadbeef', '[data-testid="query-error"]')
    const text = await shown('[data-testid="query-error"]')
    expect(text).toContain('Unknown pool')
    expect(text).toContain('0xdeadbeef')
    expect(await page.getAttribute('[data-testid="query-error"]', 'role')).toBe('alert')
  })

  it('axe-core finds no serious or critical accessibility violation on any view', async () => {
    // The check can fail: an unnamed button is a critical violation.
    await open('#/', '[data-testid="pools-table"] tbody tr')
    await page.evaluate(() => {
      const bad = document.createElement('button')
      bad.id = 'unnamed'
      document.querySelector('main')!.append(bad)
    })
    expect((await axeViolations()).join('\n')).toContain('button-name (critical)')
    await page.evaluate(() => document.getElementById('unnamed')!.remove())
    const found: Record<string, string[]> = {}
    for (const v of views()) {
      await open(v.hash, v.ready)
      if (v.hash.endsWith('/what-if')) {
        await page.press('#mc-horizon', 'Enter')
        await page.waitForSelector('[data-testid="mc-result"][data-status="done"]', { timeout: 30_000 })
      }
      if (v.hash.endsWith('/member')) await page.click('details:has(#proof-text) > summary')
      const violations = await axeViolations()
      if (violations.length > 0) found[v.hash] = violations
    }
    expect(found).toEqual({})
  })

  it('every control of every view is reachable with the Tab key', async () => {
    const found: Record<string, string[]> = {}
    for (const v of views()) {
      await open(v.hash, v.ready)
      const missed = await unreachableByTab()
      if (missed.length > 0) found[v.hash] = missed
    }
    expect(found).toEqual({})
  })

  it('controls work from the keyboard: navigation, member choice, time travel, proof check', async () => {
    await open('#/', '[data-testid="pools-table"] tbody tr')
    await page.focus(`[data-pool-id="${mainId}"] a`)
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="pool-ratio"]')
    expect(page.url()).toContain(`#/pool/${mainId}`)
    // The page nav, by keyboard.
    await page.focus('nav a:has-text("Members")')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="proof-verdict"]')
    const first = await page.getAttribute('[data-testid="member-view"]', 'data-member-id')
    await page.focus('#member-select')
    await page.keyboard.press('ArrowDown')
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid="member-view"]')?.getAttribute('data-member-id') !== id,
      first,
    )
    // Open the proof checker with Enter on its summary, verify with Enter on the button.
    await page.focus('details:has(#proof-text) > summary')
    await page.keyboard.press('Enter')
    await page.focus('form:has(#proof-text) button[type="submit"]')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="proof-check"][data-ok="true"]')
    // Time travel from the keyboard: Enter in the date field submits.
    await open(`#/pool/${mainId}`, '[data-testid="pool-ratio"]')
    const now = Number(await page.getAttribute('[data-testid="shown-at"]', 'data-at'))
    await page.fill('#at-input', new Date((now - 300) * 1000).toISOString().slice(0, 19))
    await page.press('#at-input', 'Enter')
    await page.waitForSelector(`[data-testid="shown-at"][data-at="${now - 300}"]`)
    await page.focus('form.time-travel button:has-text("Back to live")')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="shown-at"]:has-text("Live")')
  })

  it('offline: every request of every view goes to the dashboard origin (no CDN)', async () => {
    const requested: string[] = []
    const sockets: string[] = []
    const context = page.context()
    const onRequest = (r: { url(): string }) => requested.push(r.url())
    const onSocket = (w: { url(): string }) => sockets.push(w.url())
    // The context's requests include the web worker's, not only the page's.
    context.on('request', onRequest)
    page.on('websocket', onSocket)
    const foreign = () =>
      [...requested, ...sockets].filter(
        (u) => !u.startsWith('data:') && new URL(u).origin !== ballast!.origin,
      )
    try {
      // The recording sees a request elsewhere (answered locally here, so nothing leaves the machine).
      await open('#/', '[data-testid="pools-table"] tbody tr')
      await page.route('https://cdn.example.invalid/**', (route) =>
        route.fulfill({ body: '{}', headers: { 'access-control-allow-origin': '*' } }),
      )
      await page.evaluate(() => fetch('https://cdn.example.invalid/lib.js').then((r) => r.text()))
      await page.unrouteAll()
      expect(foreign()).toEqual(['https://cdn.example.invalid/lib.js'])
      requested.length = 0
      // Load the page afresh (views differ by hash only, which reloads nothing): its own files too.
      await page.goto('about:blank')
      for (const v of views()) {
        await open(v.hash, v.ready)
        await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
        if (v.hash.endsWith('/what-if')) {
          await page.press('#mc-horizon', 'Enter')
          await page.waitForSelector('[data-testid="mc-result"][data-status="done"]', { timeout: 30_000 })
        }
        if (v.hash.endsWith('/member')) {
          await page.click('details:has(#proof-text) > summary')
          await page.click('form:has(#proof-text) button[type="submit"]')
          await page.waitForSelector('[data-testid="proof-check"]')
        }
      }
      const paths = requested.map((u) => new URL(u).pathname)
      expect(paths).toContain('/graphql')
      expect(paths.some((x) => /^\/assets\/index-[\w-]+\.js$/.test(x))).toBe(true)
      expect(paths.some((x) => /^\/assets\/monteCarlo\.worker-[\w-]+\.js$/.test(x))).toBe(true)
      expect(foreign()).toEqual([])
    } finally {
      context.off('request', onRequest)
      page.off('websocket', onSocket)
    }
  })

  it('Pools: a price older than its heartbeat makes the pools DEGRADED, with the API reasons on screen', async () => {
    await open('#/', '[data-testid="pools-table"] tbody tr')
    await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
    // Two days on every chain: every feed's answer (on the first chain) is past its default 1-day heartbeat.
    const heads = new Map<number, bigint>()
    for (const c of devnet!.chains) heads.set(c.chainId, (await advanceTime(c, 2n * 86_400n)).blockNumber)
    // The pools page has caught up with every chain's new block (the chains are indexed one by one).
    await page.waitForFunction(
      (want) =>
        [...document.querySelectorAll('[data-testid="lag-table"] tbody tr')].every(
          (r) => r.children[1]?.textContent === want[r.children[0]?.textContent ?? ''],
        ),
      Object.fromEntries(devnet!.chains.map((c) => [c.name, String(heads.get(c.chainId))])),
      { timeout: 30_000 },
    )
    await page.waitForSelector(`[data-pool-id="${mainId}"] .badge:has-text("DEGRADED")`, { timeout: 30_000 })
    const { pools, _meta } = await client.request(DashboardPoolsDocument)
    const main = pools.nodes.find((p) => p.id === mainId)!
    expect(main.status).toBe('DEGRADED')
    expect(main.degraded.map((d) => d.code)).toContain('STALE_PRICE')
    expect(await tableCells('lag-table')).toEqual(
      _meta.chains.map((c) => [
        c.name,
        c.indexedBlock,
        c.indexedTimestamp === null ? '—' : formatTime(c.indexedTimestamp),
        c.headBlock,
        c.lagBlocks,
      ]),
    )
    await expectPoolsStatusAsApi(pools.nodes)
  })

  it('logs no console errors on any page', () => {
    expect(consoleErrors).toEqual([])
  })
})
