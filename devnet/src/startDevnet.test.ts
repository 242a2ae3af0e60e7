import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { timelockBatch } from '@ballast/contracts'
import { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk/abi'
import {
  type Address,
  encodeFunctionData,
  erc20Abi,
  keccak256,
  type Log,
  parseEventLogs,
  toBytes,
} from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadArtifact } from './contracts/loadArtifact.js'
import { read, sendTx, write } from './contracts/sendTx.js'
import { governanceDelay, riskParameterDelay } from './deploy/devnetUniverse.js'
import { type Devnet, startDevnet } from './startDevnet.js'

const options = {
  chains: 3,
  scenario: 'steady',
  seed: 7,
  steps: 10,
  actionsPerStep: 5,
  relay: 'manual',
} as const
let devnet: Devnet
let manifestPath: string

/** Every log of every chain, as plain JSON (what an indexer would read). */
async function allLogs(d: Devnet): Promise<string> {
  const out: Log[][] = []
  for (const c of d.chains) out.push(await c.public.getLogs({ fromBlock: 0n, toBlock: 'latest' }))
  return JSON.stringify(out, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
}

beforeAll(async () => {
  manifestPath = join(mkdtempSync(join(tmpdir(), 'devnet-')), 'sub', 'devnet.json')
  devnet = await startDevnet({ ...options, manifestPath })
})
afterAll(() => devnet?.stop())

describe('startDevnet', () => {
  it('writes the manifest it returns, with every chain and contract', async () => {
    const m = devnet.manifest
    expect(JSON.parse(readFileSync(manifestPath, 'utf8'))).toEqual(m)
    expect(m.scenario).toEqual({ name: 'steady', seed: 7 })
    expect(m.chains.map((c) => [c.name, c.chainId, c.eid])).toEqual([
      ['alpha', 31337, 40101],
      ['beta', 31338, 40102],
      ['gamma', 31339, 40103],
    ])
    expect(m.assets.map((a) => [a.symbol, a.decimals, a.homeChainId])).toEqual([
      ['USDC', 6, 31337],
      ['WETH', 18, 31338],
      ['WBTC', 8, 31339],
    ])
    for (const [i, c] of devnet.chains.entries()) {
      const mc = m.chains[i]!
      for (const address of Object.values(mc.contracts)) {
        expect(await c.public.getCode({ address })).toMatch(/^0x[0-9a-f]{100,}/)
      }
      expect(mc.deployBlock).toBeGreaterThan(0)
      for (const a of m.assets)
        expect(await c.public.getCode({ address: a.tokens[c.chainId]!.oft })).not.toBe('0x')
    }
    expect(m.pools.map((p) => [p.name, p.members.map((x) => x.name)])).toEqual([
      ['ballast-main', ['anchor', 'meridian', 'corsair']],
      ['ballast-lite', ['dune']],
    ])
  })

  it('records a member joining mid-history with the expected event fields', async () => {
    const pool = devnet.manifest.pools[0]!
    const corsair = pool.members.find((x) => x.name === 'corsair')!
    expect(corsair.id).toBe(keccak256(toBytes('corsair')))
    for (const c of devnet.chains) {
      const registry = devnet.manifest.chains[c.index]!.contracts.registry
      const logs = await c.public.getContractEvents({
        address: registry,
        abi: reservePoolRegistryAbi,
        eventName: 'MemberJoined',
        args: { memberId: corsair.id },
        fromBlock: 0n,
      })
      expect(logs).toHaveLength(1)
      expect(logs[0]!.args).toEqual({
        poolId: pool.id,
        memberId: corsair.id,
        name: 'corsair',
        liabilityToken: corsair.liability.tokens[c.chainId],
        holders: corsair.holders[c.chainId],
      })
      expect(Number(logs[0]!.blockNumber)).toBe(corsair.joinedAt[c.chainId])
      // Mid-history: later than the founding members.
      expect(corsair.joinedAt[c.chainId]).toBeGreaterThan(pool.members[0]!.joinedAt[c.chainId]!)
      expect(await read(c, registry, reservePoolRegistryAbi, 'isMember', [pool.id, corsair.id])).toBe(true)
      expect(await read(c, registry, reservePoolRegistryAbi, 'holdersOf', [pool.id, corsair.id])).toEqual(
        corsair.holders[c.chainId],
      )
    }
  })

  it('laid down real activity: feed answers, vault yield, OFT transfers all delivered and conserved', async () => {
    const alpha = devnet.chains[0]!
    const weth = devnet.manifest.assets.find((a) => a.symbol === 'WETH')!
    const answers = await alpha.public.getContractEvents({
      address: weth.feed.address,
      abi: aggregatorV3Abi,
      eventName: 'AnswerUpdated',
      fromBlock: 0n,
    })
    expect(answers).toHaveLength(1 + options.steps)
    const vault = devnet.manifest.vaults[0]!
    const shares = 10n ** 18n
    // Yield only ever adds assets: a share is worth more than at par (1 share unit = 1e-12 USDC at start).
    const value = await read<bigint>(alpha, vault.address, erc4626Abi, 'convertToAssets', [shares])
    expect(value).toBeGreaterThan(1_000_000n)
    const sent: string[] = []
    const received: string[] = []
    for (const c of devnet.chains) {
      const logs = await c.public.getLogs({ fromBlock: 0n })
      for (const l of parseEventLogs({ abi: oftAbi, logs })) {
        if (l.eventName === 'OFTSent') sent.push(l.args.guid)
        if (l.eventName === 'OFTReceived') received.push(l.args.guid)
      }
    }
    expect(sent.length).toBeGreaterThan(10)
    expect([...received].sort()).toEqual([...sent].sort())
    expect(devnet.relayer.pending()).toEqual([])
    for (const a of devnet.manifest.assets) {
      const home = devnet.chains.find((c) => c.chainId === a.homeChainId)!
      const t = a.tokens[home.chainId]!
      const locked = await read<bigint>(home, t.token, erc20Abi, 'balanceOf', [t.oft])
      let elsewhere = 0n
      for (const c of devnet.chains) {
        if (c !== home)
          elsewhere += await read<bigint>(c, a.tokens[c.chainId]!.token, erc20Abi, 'totalSupply')
      }
      expect(elsewhere).toBe(locked)
    }
  })

  it('applies a pool risk parameter change through the timelock, only after the delay', async () => {
    const beta = devnet.chains[1]!
    const { registry, riskTimelock } = devnet.manifest.chains[1]!.contracts
    const poolId = devnet.manifest.pools[0]!.id
    const asset = devnet.manifest.assets.find((a) => a.symbol === 'WBTC')!.tokens[beta.chainId]!.token
    const current = await read(beta, registry, reservePoolRegistryAbi, 'riskParameters', [poolId, asset])
    // Set at setup through the risk timelock, like every change.
    expect(current).not.toEqual([0, 0, 0])
    expect(await read(beta, registry, reservePoolRegistryAbi, 'minDelay')).toBe(BigInt(governanceDelay))
    // Nobody calls the registry directly, not even the deployer that proposes on the timelocks.
    await expect(
      write(beta, devnet.deployment.deployer, registry, 'ReservePoolRegistry', 'setRiskParameters', [
        poolId,
        asset,
        4_321,
        7_654,
        123_456,
      ]),
    ).rejects.toThrow(/reverted/)
    const batch = timelockBatch(
      [
        {
          target: registry,
          data: encodeFunctionData({
            abi: loadArtifact('ReservePoolRegistry').abi,
            functionName: 'setRiskParameters',
            args: [poolId, asset, 4_321, 7_654, 123_456],
          }),
        },
      ],
      { delay: BigInt(riskParameterDelay), salt: keccak256(toBytes('startDevnet.test')) },
    )
    const from = devnet.deployment.deployer
    const scheduled = await sendTx(beta, { from, to: riskTimelock, data: batch.schedule })
    const { timestamp } = await beta.public.getBlock({ blockNumber: scheduled.blockNumber })
    await expect(sendTx(beta, { from, to: riskTimelock, data: batch.execute })).rejects.toThrow(/reverted/)
    expect(await read(beta, registry, reservePoolRegistryAbi, 'riskParameters', [poolId, asset])).toEqual(
      current,
    )
    await beta.test.setNextBlockTimestamp({ timestamp: timestamp + BigInt(riskParameterDelay) })
    const executed = await sendTx(beta, { from, to: riskTimelock, data: batch.execute })
    const [event] = parseEventLogs({
      abi: reservePoolRegistryAbi,
      logs: executed.logs,
      eventName: 'RiskParametersUpdated',
    })
    expect(event!.args).toEqual({
      poolId,
      asset: asset as Address,
      haircutFloorBps: 4_321,
      liquidationThresholdBps: 7_654,
      liquidationHorizon: 123_456,
      effectiveAt: timestamp + BigInt(riskParameterDelay),
    })
    expect(await read(beta, registry, reservePoolRegistryAbi, 'riskParameters', [poolId, asset])).toEqual([
      4_321, 7_654, 123_456,
    ])
  })

  it('gives the same logs for the same seed', async () => {
    // Compare against a fresh devnet with the same options, before this file's own edits: only
    // blocks up to the end of the history.
    const again = await startDevnet(options)
    try {
      const heads = await Promise.all(again.chains.map((c) => c.public.getBlockNumber()))
      const logsOf = async (d: Devnet) => {
        const out: Log[][] = []
        for (const [i, c] of d.chains.entries())
          out.push(await c.public.getLogs({ fromBlock: 0n, toBlock: heads[i] }))
        return JSON.stringify(out, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
      }
      const [a, b] = [await logsOf(devnet), await logsOf(again)]
      expect(a.length).toBeGreaterThan(100_000)
      expect(b).toBe(a)
      expect(again.manifest).toEqual({ ...devnet.manifest, chains: again.manifest.chains })
      expect(again.manifest.chains.map((c) => ({ ...c, rpcUrl: '' }))).toEqual(
        devnet.manifest.chains.map((c) => ({ ...c, rpcUrl: '' })),
      )
    } finally {
      await again.stop()
    }
    expect(await allLogs(devnet)).toContain('"removed":false')
  })
})
