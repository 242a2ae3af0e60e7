// `npm run screenshots`: starts the demo (`ballast start` on a fresh devnet, any free port),
// opens each dashboard view in headless Chromium and saves a screenshot into docs/screenshots,
// with the hash of the dashboard sources they show (checked by web's `test:checks`).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningBallast, startCommand } from '@ballast/api'
import { createBallastClient, PoolsDocument } from '@ballast/sdk/client'
import { launchBrowser } from './launchBrowser.js'

const root = join(import.meta.dirname, '..', '..')
const out = join(root, 'docs', 'screenshots')
const build = spawnSync(process.execPath, [join(root, 'web', 'scripts', 'buildIfChanged.mjs')], {
  stdio: 'inherit',
})
if (build.status !== 0) throw new Error('building web/dist failed')
const { viewsHash } = (await import(join(root, 'web', 'scripts', 'buildIfChanged.mjs'))) as {
  viewsHash: () => string
}

/** Takes every view's screenshot from a running Ballast. */
async function shoot(ballast: RunningBallast): Promise<void> {
  const client = createBallastClient({ url: ballast.url })
  const { pools } = await client.request(PoolsDocument, { first: 100 })
  const main = pools.nodes.find((p) => p.name === 'ballast-main') ?? pools.nodes[0]
  if (main === undefined) throw new Error('the demo has no pool')
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    const views = [
      { name: 'pools', hash: '#/', ready: '[data-testid="pools-table"] tbody tr' },
      { name: 'pool', hash: `#/pool/${main.id}`, ready: '.chart canvas' },
      {
        name: 'what-if',
        hash: `#/pool/${main.id}/what-if`,
        ready: '[data-testid="scenarios-table"] tbody tr',
      },
      { name: 'member', hash: `#/pool/${main.id}/member`, ready: '[data-testid="proof-verdict"]' },
      { name: 'rebalance', hash: `#/pool/${main.id}/rebalance`, ready: '[data-testid="coverage-table"]' },
    ]
    mkdirSync(out, { recursive: true })
    for (const v of views) {
      await page.goto(`${ballast.origin}/${v.hash}`)
      await page.waitForSelector(v.ready)
      await page.waitForSelector('[data-testid="live-status"]:has-text("Live")')
      if (v.name === 'what-if') {
        // Show a shock and a Monte Carlo run: WETH down 30 %.
        await page.focus('#shock-WETH')
        for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft')
        await page.press('#mc-horizon', 'Enter')
        await page.waitForSelector('[data-testid="mc-result"][data-status="done"]', { timeout: 60_000 })
      }
      await page.evaluate(() => {
        ;(document.activeElement as HTMLElement | null)?.blur()
        window.scrollTo(0, 0)
      })
      await page.screenshot({ path: join(out, `${v.name}.png`) })
      console.log(`wrote docs/screenshots/${v.name}.png`)
    }
  } finally {
    await browser.close()
  }
}

const stateDir = mkdtempSync(join(tmpdir(), 'ballast-screenshots-'))
let stop: () => void = () => {}
const until = new Promise<void>((resolve) => {
  stop = resolve
})
let failure: unknown
try {
  await startCommand({
    host: '127.0.0.1',
    port: 0,
    stateDir,
    io: { out: () => {}, err: (s) => process.stderr.write(`${s}\n`) },
    until,
    onReady: (ballast) => {
      shoot(ballast).then(
        () => stop(),
        (error: unknown) => {
          failure = error
          stop()
        },
      )
    },
  })
} finally {
  rmSync(stateDir, { recursive: true, force: true })
}
if (failure !== undefined) throw failure
writeFileSync(join(out, 'source-hash.txt'), `${viewsHash()}\n`)
console.log('wrote docs/screenshots/source-hash.txt')
