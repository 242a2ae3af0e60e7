import { type Address, erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { advanceTime } from '../anvil/advanceTime.js'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { read } from '../contracts/sendTx.js'
import { borrowAaveV3, supplyAaveV3 } from './aaveV3Market.js'
import { depositErc4626 } from './accruingVault.js'
import { chainlinkProxyRoundId, changeEacAggregatorPhase, submitFluxAnswer } from './chainlinkFeed.js'
import {
  deployThirdPartyUniverse,
  type ThirdPartyUniverse,
  thirdPartyFunding,
} from './deployThirdPartyUniverse.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'
import { rebaseRebasingShares } from './rebasingShares.js'
import { readUniswapV2Reserves, swapUniswapV2 } from './uniswapV2.js'

type RoundData = readonly [bigint, bigint, bigint, bigint, bigint]

let running: RunningChains
let chain: DevnetChainHandle
let u: ThirdPartyUniverse
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  u = await deployThirdPartyUniverse(chain)
}, 120_000)
afterAll(() => running?.stop())

describe('deployThirdPartyUniverse', () => {
  it('deploys every contract, seeded and funded as documented', async () => {
    const addresses: Address[] = [
      u.usdc,
      u.weth9,
      u.uniswapV2.factory,
      u.uniswapV2.pair,
      u.chainlink.ethUsd.proxy,
      u.chainlink.ethUsd.aggregator,
      u.chainlink.nextEthUsdAggregator,
      u.aave.pool,
      u.aave.reserves[0]!.aToken,
      u.accruingVault.vault,
      u.rebasingShares,
    ]
    for (const address of addresses)
      expect((await chain.public.getCode({ address }))?.length).toBeGreaterThan(2)
    const { reserve0, reserve1 } = await readUniswapV2Reserves(chain, u.uniswapV2.pair)
    const usdcIs0 = u.uniswapV2.token0 === u.usdc
    expect(usdcIs0 ? [reserve0, reserve1] : [reserve1, reserve0]).toEqual([
      3_000_000n * 10n ** 6n,
      1_000n * 10n ** 18n,
    ])
    for (const holder of u.holders) {
      expect(await read<bigint>(chain, u.usdc, erc20Abi, 'balanceOf', [holder])).toBe(thirdPartyFunding.usdc)
      expect(await read<bigint>(chain, u.weth9, erc20Abi, 'balanceOf', [holder])).toBe(
        thirdPartyFunding.weth9,
      )
      expect(await read<bigint>(chain, u.rebasingShares, erc20Abi, 'balanceOf', [holder])).toBe(
        thirdPartyFunding.rebasingShares,
      )
    }
    // Aave prices WETH9 through the Chainlink proxy.
    const [, answer] = await read<RoundData>(
      chain,
      u.chainlink.ethUsd.proxy,
      'EACAggregatorProxy',
      'latestRoundData',
    )
    expect(answer).toBe(3_000_00000000n)
    const oracle = loadPackageArtifact('AaveOracle').abi
    expect(await read<bigint>(chain, u.aave.oracle, oracle, 'getAssetPrice', [u.weth9])).toBe(answer)
  })

  it('carries every action the drivers offer on the one chain', async () => {
    const [alice, bob] = u.holders as [Address, Address]
    await swapUniswapV2(chain, { from: alice, pair: u.uniswapV2, tokenIn: u.weth9, amountIn: 10n ** 18n })
    await submitFluxAnswer(chain, {
      oracle: u.oracle,
      aggregator: u.chainlink.nextEthUsdAggregator,
      answer: 3_050_00000000n,
    })
    await changeEacAggregatorPhase(chain, {
      from: u.deployer,
      proxy: u.chainlink.ethUsd.proxy,
      aggregator: u.chainlink.nextEthUsdAggregator,
    })
    const [roundId] = await read<RoundData>(
      chain,
      u.chainlink.ethUsd.proxy,
      'EACAggregatorProxy',
      'latestRoundData',
    )
    expect(roundId).toBe(chainlinkProxyRoundId(2, 1n))
    await supplyAaveV3(chain, { from: alice, pool: u.aave.pool, asset: u.usdc, amount: 100_000n * 10n ** 6n })
    await supplyAaveV3(chain, { from: bob, pool: u.aave.pool, asset: u.weth9, amount: 50n * 10n ** 18n })
    await borrowAaveV3(chain, { from: bob, pool: u.aave.pool, asset: u.usdc, amount: 70_000n * 10n ** 6n })
    await depositErc4626(chain, {
      from: bob,
      vault: u.accruingVault.vault,
      asset: u.usdc,
      assets: 1_000n * 10n ** 6n,
    })
    await rebaseRebasingShares(chain, {
      from: u.deployer,
      token: u.rebasingShares,
      totalPooled: 208n * 10n ** 18n,
    })
    const aUsdc = u.aave.reserves[0]!.aToken
    const supplied = await read<bigint>(chain, aUsdc, erc20Abi, 'balanceOf', [alice])
    const saved = await read<bigint>(chain, u.accruingVault.vault, 'AccruingVault', 'totalAssets')
    await advanceTime(chain, 30n * 86_400n)
    expect(await read<bigint>(chain, aUsdc, erc20Abi, 'balanceOf', [alice])).toBeGreaterThan(supplied)
    expect(await read<bigint>(chain, u.accruingVault.vault, 'AccruingVault', 'totalAssets')).toBeGreaterThan(
      saved,
    )
    expect(await read<bigint>(chain, u.rebasingShares, erc20Abi, 'balanceOf', [alice])).toBe(
      104n * 10n ** 18n,
    )
  })
})
