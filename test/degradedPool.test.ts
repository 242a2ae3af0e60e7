import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { printSummary, type RunningBallast, startBallast } from '@ballast/api'
import { type Devnet, deploy, startDevnet, write } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig, type IndexerConfig } from '@ballast/indexer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// One asset without a price must not stop the server nor skew anything else: real anvil chains and
// contracts, a real SQLite indexer each, and the API over HTTP. Two servers index the same devnet:
// `baseline` with the devnet's config, `broken` with one more asset (a fresh ERC-20, held by one
// member of the first pool on the first chain) that has no feed at all.
let devnet: Devnet | undefined
let baseline: RunningBallast | undefined
let broken: RunningBallast | undefined
let xtk: `0x${string}`
/** The member holding the unpriced asset. */
let holderMember: string
let pinned: { chainId: number; block: string }[]
const dir = mkdtempSync(join(tmpdir(), 'ballast-degraded-'))

// biome-ignore lint/suspicious/noExplicitAny: each call reads the shape its own query asked for
async function query(server: RunningBallast, q: string, variables = {}): Promise<any> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q, variables }),
  })
  const json = (await res.json()) as { data?: unknown; errors?: { message: string }[] }
  if (json.errors !== undefined) throw new Error(json.errors.map((e) => e.message).join('; '))
  return json.data
}

/** Waits until the server has indexed every chain up to `heads` (a real condition, polled). */
async function untilIndexed(server: RunningBallast, heads: Map<number, bigint>) {
  for (;;) {
    const data = await query(server, '{ _meta { chains { chainId indexedBlock } } }')
    if (
      data._meta.chains.every(
        (c: { chainId: number; indexedBlock: string }) => BigInt(c.indexedBlock) >= heads.get(c.chainId)!,
      )
    )
      return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Every figure of a pool the API serves, at the pinned blocks. */
const figuresQuery = `query ($id: ID!, $blocks: [ChainBlockInput!]) {
  pool(id: $id, blocks: $blocks) {
    id name at status reserveRatio adjustedReservesUsd reservesUsd liabilitiesUsd healthy
    degraded { code asset chainId message }
    chains { chainId reserveRatio adjustedReservesUsd reservesUsd liabilitiesUsd }
    assets { symbol priceUsd haircut amount reservesUsd adjustedReservesUsd }
    members(first: 100) {
      nodes {
        id reserveRatio adjustedReservesUsd reservesUsd liabilitiesUsd
        holdings { chainId asset amount }
        chains { chainId reserveRatio adjustedReservesUsd liabilitiesUsd }
      }
    }
  }
}`

const figuresAt = async (server: RunningBallast, id: string) =>
  (await query(server, figuresQuery, { id, blocks: pinned })).pool

beforeAll(async () => {
  devnet = await startDevnet({ chains: 2, scenario: 'steady', seed: 11 })
  const chain = devnet.chains[0]!
  const { deployer } = devnet.deployment
  // A holder of exactly one member (devnet members may share treasuries), of the first pool.
  const members = devnet.manifest.pools.flatMap((p) => p.members)
  const owners = (address: string) =>
    members.filter((m) => m.holders[chain.chainId]?.includes(address as never))
  const holder = devnet.manifest.pools[0]!.members.flatMap((m) => m.holders[chain.chainId] ?? []).find(
    (h) => owners(h).length === 1,
  )
  if (holder === undefined) throw new Error('no holder of the first pool belongs to one member only')
  holderMember = owners(holder)[0]!.name
  xtk = (await deploy(chain, deployer, 'DevnetToken', ['Unpriced Token', 'XTK', 18, deployer])).address
  await write(chain, deployer, xtk, 'DevnetToken', 'mint', [holder, 1_000n * 10n ** 18n])
  // Let every scheduled risk parameter change take effect (delay 1 h = 300 blocks of 12 s) and the
  // relayer deliver every packet, so the baseline is exact (nothing unassessed, nothing in flight).
  for (const c of devnet.chains) await c.test.mine({ blocks: 310 })
  for (let round = 0; round < 600 && (round < 3 || devnet.relayer.pending().length > 0); round++) {
    for (const c of devnet.chains) await c.test.mine({ blocks: 1 })
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  expect(devnet.relayer.pending().length).toBe(0)

  const base = configFromDevnetManifest(devnet.manifest)
  // The devnet's liability tokens are USD stablecoins: say so (without it every pool is degraded,
  // rightly: a liability without feed or peg is only assumed to be worth 1 USD).
  const symbols = new Set(devnet.manifest.pools.flatMap((p) => p.members.map((m) => m.liability.symbol)))
  const liabilities = [...symbols].map((symbol) => ({ symbol, peg: '1' }))
  const configOf = (file: string, extra: IndexerConfig['assets']) =>
    defineConfig({
      ...base,
      database: { kind: 'sqlite', file: join(dir, file) },
      assets: [...base.assets, ...extra],
      liabilities,
    })
  const options = { port: 0, logger: false as const, progress: false, api: { logging: false } }
  baseline = await startBallast({ config: configOf('baseline.sqlite', []), ...options })
  broken = await startBallast({
    config: configOf('broken.sqlite', [{ symbol: 'XTK', decimals: 18, tokens: { [chain.chainId]: xtk } }]),
    ...options,
  })
  const heads = new Map(
    await Promise.all(devnet.chains.map(async (c) => [c.chainId, await c.public.getBlockNumber()] as const)),
  )
  await untilIndexed(baseline, heads)
  await untilIndexed(broken, heads)
  pinned = [...heads].map(([chainId, block]) => ({ chainId, block: block.toString() }))
}, 240_000)

afterAll(async () => {
  await broken?.stop()
  await baseline?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('a pool with an unpriced asset (devnet + indexer + API)', () => {
  it('is DEGRADED with the reason naming the asset and chain; the figures leave it out, the other pool is unchanged', async () => {
    const [degradedPool, otherPool] = devnet!.manifest.pools
    const chainId = devnet!.chains[0]!.chainId

    // Without the extra asset, both pools are exact.
    const before = await figuresAt(baseline!, degradedPool!.id)
    const otherBefore = await figuresAt(baseline!, otherPool!.id)
    expect(before.degraded).toEqual([])
    expect(otherBefore.degraded).toEqual([])
    expect(before.status).not.toBe('DEGRADED')
    expect(otherBefore.status).not.toBe('DEGRADED')

    // With it, the server started and serves that pool as DEGRADED (or worse) with the reason.
    const after = await figuresAt(broken!, degradedPool!.id)
    expect(after.status).toBe(before.status === 'BELOW_MINIMUM' ? 'BELOW_MINIMUM' : 'DEGRADED')
    expect(after.degraded).toEqual([
      {
        code: 'UNPRICED',
        asset: 'XTK',
        chainId,
        message: expect.stringMatching(
          new RegExp(`^XTK held by ${holderMember} on chain ${chainId} is left out: XTK has no feed`),
        ),
      },
    ])
    // The asset is left out, never valued: every figure equals the baseline's.
    const { status: _s, degraded: _d, ...afterFigures } = after
    const { status: _s0, degraded: _d0, ...beforeFigures } = before
    expect(afterFigures).toEqual(beforeFigures)
    expect(after.assets.map((a: { symbol: string }) => a.symbol)).not.toContain('XTK')

    // The other pool: the same answer, status included.
    expect(await figuresAt(broken!, otherPool!.id)).toEqual(otherBefore)
  })

  it('says so in /healthz (200, status degraded, the pool and its reason) and in the CLI summary', async () => {
    const [degradedPool] = devnet!.manifest.pools
    const chainId = devnet!.chains[0]!.chainId
    const ok = await fetch(`${baseline!.origin}/healthz`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'ok', degraded: [] })

    const res = await fetch(`${broken!.origin}/healthz`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; degraded: unknown[]; chains: unknown[] }
    expect(body.status).toBe('degraded')
    expect(body.chains).toHaveLength(2)
    expect(body.degraded).toEqual([
      {
        poolId: degradedPool!.id,
        name: degradedPool!.name,
        status: expect.stringMatching(/^(DEGRADED|BELOW_MINIMUM)$/),
        reasons: [
          { code: 'UNPRICED', asset: 'XTK', chainId, message: expect.stringContaining('XTK has no feed') },
        ],
      },
    ])

    let out = ''
    await printSummary(broken!, { out: (s) => (out += `${s}\n`), err: (s) => (out += `${s}\n`) })
    const summaries = out.split('\nPool ').filter((s) => s.trim() !== '')
    expect(summaries).toHaveLength(2)
    const first = summaries.find((s) => s.startsWith(`${degradedPool!.name} `))!
    expect(first).toMatch(/^\S+ \(0x[0-9a-f]{8}…\): (DEGRADED|BELOW MINIMUM),/)
    expect(first).toContain(`  not exact (1 reason):\n    UNPRICED XTK on chain ${chainId}: XTK held by`)
    const second = summaries.find((s) => !s.startsWith(`${degradedPool!.name} `))!
    expect(second).not.toContain('DEGRADED')
    expect(second).not.toContain('not exact')
  })
})
