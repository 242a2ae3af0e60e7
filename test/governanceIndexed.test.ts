import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningBallast, startBallast } from '@ballast/api'
import { contractArtifact, timelockBatch } from '@ballast/contracts'
import { type Devnet, sendTx, startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import { type Hex, pad, toHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calldata } from './contracts/contractCalls.js'

/**
 * A risk parameter change through the production registry's risk timelock, end to end: scheduled
 * on a real devnet it is served as pending with its eta, ready once the chain passes the eta, and
 * after execution the indexer's figures use the new floor, as the registry's own view reports.
 */
let devnet: Devnet
let ballast: RunningBallast | undefined
const dir = mkdtempSync(join(tmpdir(), 'ballast-governance-'))
const DELAY = 1_200n
const FLOOR_BPS = 9_000

beforeAll(async () => {
  devnet = await startDevnet({ chains: 1, scenario: 'steady', seed: 4, steps: 2, relay: 'manual' })
  const config = defineConfig(
    configFromDevnetManifest(devnet.manifest, { database: { kind: 'sqlite', file: join(dir, 'g.sqlite') } }),
  )
  ballast = await startBallast({ config, port: 0, logger: false, progress: false, api: { logging: false } })
}, 240_000)

afterAll(async () => {
  await ballast?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function query<T>(text: string): Promise<T> {
  const res = await fetch((ballast as RunningBallast).url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  })
  const body = (await res.json()) as { data?: T; errors?: unknown[] }
  if (body.errors !== undefined) throw new Error(JSON.stringify(body.errors))
  return body.data as T
}

/** Waits until the indexer reached `block` (a readiness check on `_meta`, polled). */
async function indexedTo(block: bigint): Promise<void> {
  for (;;) {
    const data = await query<{ _meta: { chains: { indexedBlock: string }[] } }>(
      '{ _meta { chains { indexedBlock } } }',
    )
    if (data._meta.chains.every((c) => BigInt(c.indexedBlock) >= block)) return
    await new Promise((r) => setTimeout(r, 100))
  }
}

type Change = {
  kind: string
  asset: string | null
  values: { name: string; value: string }[]
  eta: number
  status: string
  scheduledBlock: string
  scheduledTxHash: Hex
  settledTxHash: Hex | null
}
type PoolView = {
  pool: {
    pendingChanges: Change[]
    all: Change[]
    assets: { symbol: string; haircut: string }[]
    riskParameters: { asset: string; chainId: number; haircutFloor: string }[]
    members: { nodes: { holders: { holder: Hex; acknowledged: boolean }[] }[] }
  }
}

describe('governance on the RPC source', () => {
  it('serves a scheduled risk change as pending with its eta, then applies it as executed on chain', async () => {
    const alpha = devnet.chains[0]!
    const contracts = devnet.manifest.chains[0]!.contracts
    const pool = devnet.manifest.pools[0]!
    const asset = devnet.manifest.assets.find((a) => a.symbol === 'WETH')!
    const token = asset.tokens[alpha.chainId]!.token
    const poolView = `{ pool(id: "${pool.id}") {
      pendingChanges { kind asset values { name value } eta status scheduledBlock scheduledTxHash settledTxHash }
      all: pendingChanges(all: true) { kind asset values { name value } eta status scheduledBlock scheduledTxHash settledTxHash }
      assets { symbol haircut }
      riskParameters { asset chainId haircutFloor }
      members { nodes { holders { holder acknowledged } } }
    } }`

    const batch = timelockBatch(
      [
        {
          target: contracts.registry,
          data: calldata('ReservePoolRegistry', 'setRiskParameters', [
            pool.id,
            token,
            FLOOR_BPS,
            9_500,
            86_400,
          ]),
        },
      ],
      { delay: DELAY, salt: pad(toHex('governance-test')) },
    )
    const scheduled = await sendTx(alpha, {
      from: devnet.deployment.deployer,
      to: contracts.riskTimelock,
      data: batch.schedule,
    })
    const scheduledAt = (await alpha.public.getBlock({ blockNumber: scheduled.blockNumber })).timestamp
    await indexedTo(scheduled.blockNumber)

    const before = await query<PoolView>(poolView)
    expect(before.pool.pendingChanges).toEqual([
      {
        kind: 'setRiskParameters',
        asset: 'WETH',
        values: [
          { name: 'haircutFloorBps', value: String(FLOOR_BPS) },
          { name: 'liquidationThresholdBps', value: '9500' },
          { name: 'liquidationHorizon', value: '86400' },
        ],
        eta: Number(scheduledAt + DELAY),
        status: 'PENDING',
        scheduledBlock: String(scheduled.blockNumber),
        scheduledTxHash: scheduled.transactionHash,
        settledTxHash: null,
      },
    ])
    const weth = (v: PoolView) => v.pool.riskParameters.find((r) => r.asset === 'WETH')
    expect(weth(before)?.haircutFloor).not.toBe('0.9')
    // Every registry member's holder acknowledged it (the registry admits no other).
    const holders = before.pool.members.nodes.flatMap((m) => m.holders)
    expect(holders.length).toBeGreaterThan(0)
    expect(holders.every((h) => h.acknowledged)).toBe(true)

    // Past the eta (blocks keep the devnet's spacing): READY, still not applied.
    const { timestamp } = await alpha.public.getBlock()
    await alpha.test.mine({ blocks: Number((scheduledAt + DELAY - timestamp) / 12n) + 2 })
    const passed = await alpha.public.getBlockNumber()
    await indexedTo(passed)
    const ready = await query<PoolView>(poolView)
    expect(ready.pool.pendingChanges.map((c) => c.status)).toEqual(['READY'])
    expect(weth(ready)?.haircutFloor).toBe(weth(before)?.haircutFloor)

    const executed = await sendTx(alpha, {
      from: devnet.deployment.deployer,
      to: contracts.riskTimelock,
      data: batch.execute,
    })
    await indexedTo(executed.blockNumber)
    const after = await query<PoolView>(poolView)
    expect(after.pool.pendingChanges).toEqual([])
    expect(after.pool.all.find((c) => c.scheduledTxHash === scheduled.transactionHash)).toMatchObject({
      status: 'EXECUTED',
      settledTxHash: executed.transactionHash,
    })
    const onChain = (await alpha.public.readContract({
      address: contracts.registry,
      abi: contractArtifact('ReservePoolRegistry').abi,
      functionName: 'riskParameters',
      args: [pool.id, token],
    })) as readonly [number, number, number]
    expect(onChain).toEqual([FLOOR_BPS, 9_500, 86_400])
    expect(weth(after)).toMatchObject({ chainId: alpha.chainId, haircutFloor: String(onChain[0] / 10_000) })
    // The floor dominates any volatility haircut: the figures apply it as is.
    expect(after.pool.assets.find((a) => a.symbol === 'WETH')?.haircut).toBe('0.9')
  }, 240_000)

  it('serves the statement posted on the attestation contract beside the figures', async () => {
    const alpha = devnet.chains[0]!
    const contracts = devnet.manifest.chains[0]!.contracts
    const pool = devnet.manifest.pools[0]!
    const head = await alpha.public.getBlock()
    const liabilities = 1_000n * 10n ** 18n
    const reserves = 1_250n * 10n ** 18n
    const root = pad(toHex('root'))
    const posted = await sendTx(alpha, {
      from: devnet.deployment.attester,
      to: contracts.attestation,
      data: calldata('ReserveAttestation', 'post', [
        pool.id,
        root,
        liabilities,
        reserves,
        (reserves * 10n ** 18n) / liabilities,
        head.timestamp,
        [BigInt(alpha.chainId)],
        [head.number],
      ]),
    })
    await indexedTo(posted.blockNumber)
    const data = await query<{ pool: { attestation: Record<string, unknown> | null } }>(
      `{ pool(id: "${pool.id}") { attestation { chainId contract liabilityRoot reserveRatio liabilitiesUsd
        adjustedReservesUsd asOf blocks { chainId block } postedBlock postedTxHash } } }`,
    )
    expect(data.pool.attestation).toEqual({
      chainId: alpha.chainId,
      contract: contracts.attestation.toLowerCase(),
      liabilityRoot: root,
      reserveRatio: '1.25',
      liabilitiesUsd: '1000',
      adjustedReservesUsd: '1250',
      asOf: Number(head.timestamp),
      blocks: [{ chainId: alpha.chainId, block: String(head.number) }],
      postedBlock: String(posted.blockNumber),
      postedTxHash: posted.transactionHash,
    })
  }, 60_000)
})
