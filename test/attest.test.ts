import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { attestCommand, type RunningBallast, startBallast } from '@ballast/api'
import { contractArtifact } from '@ballast/contracts'
import { type Devnet, deploy, sendTx, startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig } from '@ballast/indexer'
import { type Address, encodeFunctionData, type Hex, toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revertOf } from './contracts/contractCalls.js'

const WAD = 10n ** 18n
const MAX_AGE = 600n
let devnet: Devnet
let ballast: RunningBallast | undefined
let config: ReturnType<typeof defineConfig>
const dir = mkdtempSync(join(tmpdir(), 'ballast-attest-'))
// The devnet's attester is dev account 1 (anvil's public test mnemonic).
const attesterKey = toHex(
  mnemonicToAccount('test test test test test test test test test test test junk', {
    addressIndex: 1,
  }).getHdKey().privateKey as Uint8Array,
)

beforeAll(async () => {
  devnet = await startDevnet({ chains: 2, scenario: 'steady', seed: 9, steps: 6, relay: 'manual' })
  await devnet.relayer.poll()
  config = defineConfig(
    configFromDevnetManifest(devnet.manifest, { database: { kind: 'sqlite', file: join(dir, 'b.sqlite') } }),
  )
  ballast = await startBallast({ config, port: 0, logger: false, progress: false, api: { logging: false } })
  const heads = await Promise.all(devnet.chains.map((c) => c.public.getBlockNumber()))
  for (;;) {
    const res = await fetch(ballast.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _meta { chains { chainId indexedBlock } } }' }),
    })
    const { data } = (await res.json()) as {
      data: { _meta: { chains: { chainId: number; indexedBlock: string }[] } }
    }
    if (data._meta.chains.every((c, i) => BigInt(c.indexedBlock) >= (heads[i] ?? 0n))) break
    await new Promise((r) => setTimeout(r, 100))
  }
  await ballast.stop()
  ballast = undefined
}, 240_000)

afterAll(async () => {
  await ballast?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('ballast attest and a gated mint', () => {
  it('refuses the mint before any statement, allows it after `ballast attest`, refuses it once stale or below the minimum', async () => {
    const alpha = devnet.chains[0]!
    const pool = devnet.manifest.pools[0]!
    const attestation = devnet.manifest.chains[0]!.contracts.attestation
    const deployer = devnet.deployment.deployer
    const minter = async (minRatio: bigint) =>
      (await deploy(alpha, deployer, 'GatedMinter', [attestation, pool.id, minRatio, MAX_AGE, deployer]))
        .address
    const mint = (to: Address) => ({
      from: deployer,
      to,
      data: encodeFunctionData({
        abi: contractArtifact('GatedMinter').abi,
        functionName: 'mint',
        args: [deployer, WAD],
      }),
    })
    const atPar = await minter(WAD)
    expect((await revertOf(alpha, mint(atPar)))?.errorName).toBe('NotSolvent')
    // The attestation chain must have reached the state's time (the other chain may be ahead).
    const times = await Promise.all(devnet.chains.map(async (c) => (await c.public.getBlock()).timestamp))
    const behind = Number(((times[1] ?? 0n) - (times[0] ?? 0n) + 11n) / 12n)
    if (behind > 0) await alpha.test.mine({ blocks: behind })
    const posted = await attestCommand({
      config,
      poolId: pool.id,
      chain: 'alpha',
      rpc: alpha.rpcUrl,
      attestation,
      secret: `0x${'11'.repeat(32)}` as Hex,
      env: { BALLAST_DEPLOYER_KEY: attesterKey },
    })
    expect(posted.pooledRatioWad).toBe((posted.adjustedReserves * WAD) / posted.totalLiabilities)
    expect(posted.pooledRatioWad).toBeGreaterThan(WAD)
    const latest = (await alpha.public.readContract({
      address: attestation,
      abi: contractArtifact('ReserveAttestation').abi,
      functionName: 'latest',
      args: [pool.id],
    })) as { liabilityRoot: Hex; pooledRatioWad: bigint; chainIds: readonly bigint[] }
    expect(latest.liabilityRoot).toBe(posted.root)
    expect(latest.chainIds).toEqual(devnet.chains.map((c) => BigInt(c.chainId)))
    await sendTx(alpha, mint(atPar))
    const above = await minter(posted.pooledRatioWad + 1n)
    expect((await revertOf(alpha, mint(above)))?.errorName).toBe('NotSolvent')
    // Stale: more than MAX_AGE after the statement's time.
    const { timestamp } = await alpha.public.getBlock()
    await alpha.test.mine({ blocks: Number((BigInt(posted.asOf) + MAX_AGE - timestamp) / 12n) + 2 })
    expect((await revertOf(alpha, mint(atPar)))?.errorName).toBe('NotSolvent')
  })
})
