import {
  addUniswapV2Liquidity,
  advanceTime,
  borrowAaveV3,
  changeEacAggregatorPhase,
  type DevnetChainHandle,
  deploy,
  deployChainlinkFeed,
  deployThirdPartyUniverse,
  depositErc4626,
  type RunningChains,
  rebaseRebasingShares,
  startChains,
  submitFluxAnswer,
  supplyAaveV3,
  swapUniswapV2,
  type ThirdPartyUniverse,
  wrapWeth9,
  write,
} from '@ballast/devnet'
import { type Asset, evaluatePool, type PoolState } from '@ballast/sdk'
import { type Abi, type Address, erc20Abi, type Hex, parseAbi } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { defineConfig, NATIVE_TOKEN } from '../config/defineConfig.js'
import type { ResolvedIndexerConfig } from '../config/IndexerConfig.js'
import { loadPoolState } from '../queries/loadPoolState.js'
import { runIndexer } from '../sync/runIndexer.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/createTestDatabase.js'

const abi = parseAbi([
  'function convertToAssets(uint256) view returns (uint256)',
  'function getReserves() view returns (uint112, uint112, uint32)',
  'function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)',
  'function aggregator() view returns (address)',
])
const POOL = `0x${'b1'.repeat(32)}` as Hex
const MEMBER = `0x${'c1'.repeat(32)}` as Hex
const risk = { haircutFloorBps: 1_000, liquidationThresholdBps: 8_000, liquidationHorizon: 86_400 }

/**
 * Third-party contracts from npm on anvil (Uniswap V2, WETH9, Chainlink's EACAggregatorProxy over
 * FluxAggregators with a phase change, an Aave V3 market, an accruing ERC-4626, a stETH-like
 * token, the native coin), one member holding each kind: after history and live actions
 * (supplies, a borrow, wraps, a swap, a rebase, a year of accrual, a phase change), every holding,
 * supply and price the indexer serves equals what the chain says at the same block, to the wei.
 */
describe('real positions and feeds', () => {
  let running: RunningChains
  let chain: DevnetChainHandle
  let u: ThirdPartyUniverse
  let liability: Address
  /** stETH / ETH, 18 decimals, at 0.99: composed with ETH / USD for the stETH-like token. */
  let stethEth: Address
  /** Its aggregator (where its oracle submits rounds). */
  let stethEthAggregator: Address
  /** The chain's sequencer uptime feed (answer 0 up, 1 down). */
  let sequencer: Address
  let config: ResolvedIndexerConfig
  beforeAll(async () => {
    running = await startChains({ count: 1 })
    chain = running.chains[0] as DevnetChainHandle
    u = await deployThirdPartyUniverse(chain)
    const [alice, bob] = u.holders as [Address, Address]
    liability = (await deploy(chain, u.deployer, 'DevnetToken', ['Member USD', 'mUSD', 6, u.deployer]))
      .address
    await write(chain, u.deployer, liability, 'DevnetToken', 'mint', [u.deployer, 50_000n * 10n ** 6n])
    // History before the indexer starts.
    await supplyAaveV3(chain, { from: alice, pool: u.aave.pool, asset: u.usdc, amount: 100_000n * 10n ** 6n })
    await supplyAaveV3(chain, { from: bob, pool: u.aave.pool, asset: u.weth9, amount: 50n * 10n ** 18n })
    await borrowAaveV3(chain, { from: bob, pool: u.aave.pool, asset: u.usdc, amount: 70_000n * 10n ** 6n })
    await depositErc4626(chain, {
      from: alice,
      vault: u.accruingVault.vault,
      asset: u.usdc,
      assets: 1_000n * 10n ** 6n,
    })
    await wrapWeth9(chain, { from: alice, weth: u.weth9, amount: 10n ** 18n })
    const usdcIs0 = u.uniswapV2.token0 === u.usdc
    const [usdcSide, wethSide] = [3_000n * 10n ** 6n, 10n ** 18n]
    await addUniswapV2Liquidity(chain, {
      from: alice,
      pair: u.uniswapV2,
      amount0: usdcIs0 ? usdcSide : wethSide,
      amount1: usdcIs0 ? wethSide : usdcSide,
    })
    const aUsdc = u.aave.reserves.find((r) => r.asset === u.usdc)?.aToken as Address
    const stethEthFeed = await deployChainlinkFeed(chain, {
      from: u.deployer,
      oracle: u.oracle,
      decimals: 18,
      description: 'STETH / ETH',
      answer: 99n * 10n ** 16n,
    })
    stethEth = stethEthFeed.proxy
    stethEthAggregator = stethEthFeed.aggregator
    sequencer = (await deploy(chain, u.deployer, 'DevnetSequencerUptimeFeed', [u.deployer])).address
    const pairSymbols = (usdcIs0 ? ['USDC', 'WETH'] : ['WETH', 'USDC']) as [string, string]
    config = defineConfig({
      chains: [
        {
          chainId: chain.chainId,
          rpcUrls: [chain.rpcUrl],
          finalityDepth: 2,
          startBlock: 0,
          pollingInterval: 100,
          sequencerUptimeFeed: { address: sequencer, gracePeriod: 3_600 },
        },
      ],
      assets: [
        {
          symbol: 'USDC',
          decimals: 6,
          tokens: { [chain.chainId]: u.usdc },
          feed: { chainId: chain.chainId, address: u.chainlink.usdcUsd, decimals: 8 },
        },
        {
          symbol: 'WETH',
          kind: 'weth9',
          decimals: 18,
          tokens: { [chain.chainId]: u.weth9 },
          feed: { chainId: chain.chainId, address: u.chainlink.ethUsd.proxy, decimals: 8 },
        },
        {
          symbol: 'aUSDC',
          kind: 'aave-v3-atoken',
          decimals: 6,
          tokens: { [chain.chainId]: aUsdc },
          underlying: 'USDC',
        },
        {
          symbol: 'svUSDC',
          kind: 'erc4626',
          decimals: 12,
          tokens: { [chain.chainId]: u.accruingVault.vault },
          underlying: 'USDC',
        },
        {
          symbol: 'stDETH',
          kind: 'rebasing-shares',
          decimals: 18,
          tokens: { [chain.chainId]: u.rebasingShares },
          // A composed price: stETH / ETH x ETH / USD.
          feed: {
            chainId: chain.chainId,
            address: stethEth,
            decimals: 18,
            times: { chainId: chain.chainId, address: u.chainlink.ethUsd.proxy, decimals: 8 },
          },
        },
        {
          symbol: 'UNI-V2',
          kind: 'uniswap-v2-lp',
          decimals: 18,
          tokens: { [chain.chainId]: u.uniswapV2.pair },
          pair: pairSymbols,
        },
        {
          symbol: 'ETH',
          kind: 'native',
          decimals: 18,
          tokens: { [chain.chainId]: NATIVE_TOKEN },
          feed: { chainId: chain.chainId, address: u.chainlink.ethUsd.proxy, decimals: 8 },
        },
      ],
      liabilities: [{ symbol: 'mUSD', peg: '1' }],
      pools: [
        {
          id: POOL,
          name: 'real',
          minRatioBps: 10_000,
          targetRatioBps: 12_000,
          risk: Object.fromEntries(
            ['USDC', 'WETH', 'aUSDC', 'svUSDC', 'stDETH', 'UNI-V2', 'ETH'].map((s) => [s, risk]),
          ),
          members: [
            {
              id: MEMBER,
              name: 'Member',
              liabilityTokens: { [chain.chainId]: liability },
              holders: { [chain.chainId]: [alice] },
            },
          ],
        },
      ],
    })
  }, 180_000)
  afterAll(async () => {
    await running?.stop()
  })

  it('serves every holding, supply and price as the chain has them at the same block (sqlite and postgres)', async () => {
    const [alice, bob] = u.holders as [Address, Address]
    const databases: TestDatabase[] = []
    const indexers: Awaited<ReturnType<typeof runIndexer>>[] = []
    try {
      for (const dialect of DIALECTS) {
        const database = await createTestDatabase(dialect, inject('ballastPostgresUrl'))
        databases.push(database)
        indexers.push(await runIndexer({ config, database, logger: false, progress: false }))
      }
      await Promise.all(indexers.map((i) => i.synced))
      // Live: a swap, a rebase, a year of accrual, a Chainlink phase change with a new answer.
      await swapUniswapV2(chain, { from: bob, pair: u.uniswapV2, tokenIn: u.weth9, amountIn: 10n ** 17n })
      await rebaseRebasingShares(chain, {
        from: u.deployer,
        token: u.rebasingShares,
        totalPooled: 208n * 10n ** 18n,
      })
      await advanceTime(chain, 365n * 86_400n)
      // Live feeds answer at least once per heartbeat (the config gives none: one day by default):
      // after the year, USDC / USD and stETH / ETH post their next round at the same prices, so
      // the state is exact. (Year-old answers would rightly be served as stale-price.)
      await write(chain, u.deployer, u.chainlink.usdcUsd, 'DevnetPriceFeed', 'updateAnswer', [1_00000000n])
      await submitFluxAnswer(chain, {
        oracle: u.oracle,
        aggregator: stethEthAggregator,
        answer: 99n * 10n ** 16n,
      })
      await submitFluxAnswer(chain, {
        oracle: u.oracle,
        aggregator: u.chainlink.nextEthUsdAggregator,
        answer: 3_100_00000000n,
      })
      await changeEacAggregatorPhase(chain, {
        from: u.deployer,
        proxy: u.chainlink.ethUsd.proxy,
        aggregator: u.chainlink.nextEthUsdAggregator,
      })
      await submitFluxAnswer(chain, {
        oracle: u.oracle,
        aggregator: u.chainlink.nextEthUsdAggregator,
        answer: 3_200_00000000n,
      })
      await wrapWeth9(chain, { from: alice, weth: u.weth9, amount: 2n * 10n ** 18n })
      const block = Number(await chain.public.getBlockNumber())
      const blockNumber = BigInt(block)
      const at = <T>(address: Address, functionName: string, args: unknown[] = [], list: Abi = abi) =>
        chain.public.readContract({
          address,
          abi: list,
          functionName,
          args,
          blockNumber,
        } as never) as Promise<T>
      const aUsdc = u.aave.reserves.find((r) => r.asset === u.usdc)?.aToken as Address
      const [r0, r1] = await at<[bigint, bigint, number]>(u.uniswapV2.pair, 'getReserves')
      const [, ethUsd, , ethUpdatedAt] = await at<[bigint, bigint, bigint, bigint, bigint]>(
        u.chainlink.ethUsd.proxy,
        'latestRoundData',
      )
      const expected = {
        holdings: {
          USDC: await at<bigint>(u.usdc, 'balanceOf', [alice], erc20Abi),
          WETH: await at<bigint>(u.weth9, 'balanceOf', [alice], erc20Abi),
          aUSDC: await at<bigint>(aUsdc, 'balanceOf', [alice], erc20Abi),
          svUSDC: await at<bigint>(u.accruingVault.vault, 'balanceOf', [alice], erc20Abi),
          stDETH: await at<bigint>(u.rebasingShares, 'balanceOf', [alice], erc20Abi),
          'UNI-V2': await at<bigint>(u.uniswapV2.pair, 'balanceOf', [alice], erc20Abi),
          ETH: await chain.public.getBalance({ address: alice, blockNumber }),
        },
        vaultRate: await at<bigint>(u.accruingVault.vault, 'convertToAssets', [10n ** 12n]),
        reserves: [r0, r1],
        lpSupply: await at<bigint>(u.uniswapV2.pair, 'totalSupply', [], erc20Abi),
        ethUsd: { answer: ethUsd, updatedAt: Number(ethUpdatedAt) },
        liability: await at<bigint>(liability, 'totalSupply', [], erc20Abi),
      }
      // The phase change really happened, and the year really accrued.
      expect(await at<Address>(u.chainlink.ethUsd.proxy, 'aggregator')).toBe(u.chainlink.nextEthUsdAggregator)
      expect(ethUsd).toBe(3_200_00000000n)
      expect(expected.vaultRate).toBeGreaterThan(1_040_000n)

      for (const [i, indexer] of indexers.entries()) {
        const database = databases[i] as TestDatabase
        await indexedTo(indexer, block)
        const state = await loadPoolState({ db: database.db, config }, POOL, {
          at: { blocks: { [chain.chainId]: block } },
        })
        expect(state.degraded ?? []).toEqual([])
        const member = state.members[0]
        const holdings = Object.fromEntries((member?.holdings ?? []).map((h) => [h.asset, h.amount]))
        expect(holdings).toEqual(expected.holdings)
        const asset = (symbol: string) => state.assets.find((a) => a.symbol === symbol) as Asset
        expect(asset('svUSDC')).toMatchObject({
          kind: 'erc4626',
          assetsPerShare: expected.vaultRate,
          decimals: 12,
        })
        expect(asset('UNI-V2')).toMatchObject({
          kind: 'constantProductLp',
          reserve0: expected.reserves[0],
          reserve1: expected.reserves[1],
          totalSupply: expected.lpSupply,
        })
        expect(asset('WETH')).toMatchObject({
          kind: 'erc20',
          price: { answer: expected.ethUsd.answer, updatedAt: expected.ethUsd.updatedAt },
        })
        // Composed: 0.99 stETH/ETH x the ETH/USD answer after the phase change, with stETH/ETH's decimals.
        const [, stethAnswer] = await at<[bigint, bigint, bigint, bigint, bigint]>(
          stethEth,
          'latestRoundData',
        )
        expect(asset('stDETH')).toMatchObject({
          kind: 'erc20',
          price: { answer: (stethAnswer * expected.ethUsd.answer) / 10n ** 8n, decimals: 18 },
        })
        expect(stethAnswer).toBe(99n * 10n ** 16n)
        expect(member?.liabilities).toEqual([
          { chainId: chain.chainId, supply: expected.liability, decimals: 6 },
        ])
        expect(member?.liabilityAsset).toBe('mUSD')
        // The same figures as a state built from the chain's own answers.
        expect(evaluatePool(state).reserveRatio).toBe(evaluatePool(fromChain(state, expected)).reserveRatio)
      }
      // The sequencer goes down: every pool on the chain is DEGRADED, with the reason; back up, it
      // stays so for the grace period; after it, exact again.
      const sequencerReason = async () => {
        const head = Number(await chain.public.getBlockNumber())
        for (const indexer of indexers) await indexedTo(indexer, head)
        const reasons = await Promise.all(
          databases.map(async (database) => {
            const state = await loadPoolState({ db: database.db, config }, POOL, {
              at: { blocks: { [chain.chainId]: head } },
            })
            return (state.degraded ?? []).filter((d) => d.code === 'sequencer-down').map((d) => d.message)
          }),
        )
        expect(reasons[1]).toEqual(reasons[0])
        return reasons[0]?.[0]
      }
      await write(chain, u.deployer, sequencer, 'DevnetSequencerUptimeFeed', 'setDown', [true])
      expect(await sequencerReason()).toMatch(/^The sequencer of chain \d+ is down/)
      await write(chain, u.deployer, sequencer, 'DevnetSequencerUptimeFeed', 'setDown', [false])
      expect(await sequencerReason()).toMatch(/came back \d+ s ago, within its 3600 s grace period/)
      await advanceTime(chain, 3_601n)
      expect(await sequencerReason()).toBeUndefined()
    } finally {
      for (const indexer of indexers) await indexer.stop()
      for (const database of databases) await database.cleanup()
    }
  }, 240_000)
})

/** Waits until the indexer has indexed `block`; its fatal error, if it stops, fails the wait. */
async function indexedTo(indexer: Awaited<ReturnType<typeof runIndexer>>, block: number): Promise<void> {
  let failure: unknown
  indexer.done.catch((error: unknown) => {
    failure = error
  })
  const start = performance.now()
  while ((indexer.status()[0]?.indexed ?? -1) < block) {
    if (failure !== undefined) throw failure
    if (performance.now() - start > 60_000) throw new Error(`block ${block} not indexed`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The indexed state with every chain-read figure put back from the chain's answers. */
function fromChain(
  state: PoolState,
  chain: {
    holdings: Record<string, bigint>
    vaultRate: bigint
    reserves: bigint[]
    lpSupply: bigint
    liability: bigint
  },
): PoolState {
  return {
    ...state,
    assets: state.assets.map((a) =>
      a.kind === 'erc4626'
        ? { ...a, assetsPerShare: chain.vaultRate }
        : a.kind === 'constantProductLp'
          ? {
              ...a,
              reserve0: chain.reserves[0] as bigint,
              reserve1: chain.reserves[1] as bigint,
              totalSupply: chain.lpSupply,
            }
          : a,
    ),
    members: state.members.map((m) => ({
      ...m,
      holdings: m.holdings.map((h) => ({ ...h, amount: chain.holdings[h.asset] ?? 0n })),
      liabilities: m.liabilities.map((l) => ({ ...l, supply: chain.liability })),
    })),
  }
}
