import { aggregatorV3Abi, reservePoolRegistryAbi } from '@ballast/sdk/abi'
import { erc20Abi, parseEventLogs, zeroAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { read } from '../contracts/sendTx.js'
import { type Devnet, startDevnet } from '../startDevnet.js'
import { createPricePath } from './createPricePath.js'
import { createPrng } from './createPrng.js'
import { findScenario } from './scenarios.js'

describe('createPricePath', () => {
  it('is reproducible per seed and crashes ETH and BTC and depegs USDC in the crash scenario', () => {
    const path = (seed: number) => {
      const p = createPricePath(findScenario('crash'), 30, createPrng(seed))
      return Array.from({ length: 30 }, () => p.next())
    }
    expect(path(5)).toEqual(path(5))
    expect(path(5)).not.toEqual(path(6))
    const points = path(5)
    const before = points[14]!
    const after = points[17]!
    // Three crash steps at 50%: a 40% ETH drop and 30% BTC drop, give or take the noise.
    expect(Number(after.WETH) / Number(before.WETH)).toBeLessThan(0.7)
    expect(Number(after.WBTC) / Number(before.WBTC)).toBeLessThan(0.8)
    expect(points[16]!.USDC).toBe(94_000_000n)
    expect(points[29]!.USDC).toBeGreaterThan(99_000_000n)
  })
})

describe('crash scenario on chain', () => {
  let devnet: Devnet
  beforeAll(async () => {
    devnet = await startDevnet({
      chains: 2,
      scenario: 'crash',
      seed: 3,
      steps: 12,
      actionsPerStep: 4,
      relay: 'manual',
    })
  })
  afterAll(() => devnet?.stop())

  it('writes the fall, the depeg and a redemption run to the chains', async () => {
    const alpha = devnet.chains[0]!
    const feed = (symbol: string) => devnet.manifest.assets.find((a) => a.symbol === symbol)!.feed.address
    const answers = async (symbol: string) =>
      (
        await alpha.public.getContractEvents({
          address: feed(symbol),
          abi: aggregatorV3Abi,
          eventName: 'AnswerUpdated',
          fromBlock: 0n,
        })
      ).map((l) => ({ answer: l.args.current!, block: l.blockNumber }))
    const eth = await answers('WETH')
    const usdc = await answers('USDC')
    expect(Number(eth.at(-1)!.answer) / Number(eth[0]!.answer)).toBeLessThan(0.75)
    expect(usdc.map((a) => a.answer)).toContain(94_000_000n)
    // The run: after the crash starts, liabilities are burned (redeemed) in numbers.
    const crashBlock = eth.find((a) => a.answer < (eth[0]!.answer * 85n) / 100n)!.block
    let burns = 0
    for (const c of devnet.chains) {
      for (const m of devnet.manifest.pools.flatMap((p) => p.members)) {
        const logs = await c.public.getLogs({ address: m.liability.tokens[c.chainId], fromBlock: 0n })
        burns += parseEventLogs({ abi: erc20Abi, logs, eventName: 'Transfer' }).filter(
          (l) => l.args.to === zeroAddress && l.blockNumber >= (c === alpha ? crashBlock : 0n),
        ).length
      }
    }
    expect(burns).toBeGreaterThanOrEqual(5)
  })

  it('has a member leave late in the history', async () => {
    const lite = devnet.manifest.pools.find((p) => p.name === 'ballast-lite')!
    const dune = lite.members[0]!
    for (const c of devnet.chains) {
      const registry = devnet.manifest.chains[c.index]!.contracts.registry
      const left = await c.public.getContractEvents({
        address: registry,
        abi: reservePoolRegistryAbi,
        eventName: 'MemberLeft',
        fromBlock: 0n,
      })
      expect(left.map((l) => l.args)).toEqual([{ poolId: lite.id, memberId: dune.id }])
      expect(Number(left[0]!.blockNumber)).toBe(dune.leftAt?.[c.chainId])
      expect(await read(c, registry, reservePoolRegistryAbi, 'isMember', [lite.id, dune.id])).toBe(false)
    }
  })
})
