import { type Address, getAddress } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, write } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'
import { type AaveV3Market, deployAaveV3Market } from './aaveV3Market.js'
import { accruingVaultRatePerSecond, deployAccruingVault } from './accruingVault.js'
import { type ChainlinkFeed, deployChainlinkFeed, deployFluxAggregator } from './chainlinkFeed.js'
import { deployRebasingShares, mintRebasingShares } from './rebasingShares.js'
import {
  addUniswapV2Liquidity,
  createUniswapV2Pair,
  deployUniswapV2Factory,
  type UniswapV2Pair,
} from './uniswapV2.js'
import { deployWeth9, wrapWeth9 } from './weth9.js'

/** The anvil dev accounts the universe uses (indexes into `eth_accounts`). */
export const thirdPartyAccounts = { deployer: 0, oracle: 1, pot: 2, holders: [3, 4] } as const

/** Every third-party contract on one chain, and who plays which part. */
export type ThirdPartyUniverse = {
  chainId: number
  /** Owns everything, provides the Uniswap liquidity, is the Aave treasury. */
  deployer: Address
  /** Submits the Chainlink answers. */
  oracle: Address
  /** Holds the accruing vault's assets. */
  pot: Address
  /** Funded with {@link thirdPartyFunding} of USDC and WETH9 and 100 stDETH each, for tests to act with. */
  holders: Address[]
  /** A 6-decimal USDC stand-in (`DevnetToken`, the deployer mints). */
  usdc: Address
  /** WETH9 as npm ships it. */
  weth9: Address
  /** The WETH9/USDC pair, seeded with 3,000,000 USDC and 1,000 WETH. */
  uniswapV2: UniswapV2Pair & { factory: Address }
  chainlink: {
    /** ETH / USD, 8 decimals, first round answered at 3,000. */
    ethUsd: ChainlinkFeed
    /** A second aggregator for the same feed, for a phase change (no rounds yet). */
    nextEthUsdAggregator: Address
    /** USDC / USD at 1.00 (a `DevnetPriceFeed`: Aave's USDC price source). */
    usdcUsd: Address
  }
  /** Aave V3 with USDC (borrowable, 75% LTV) and WETH9 (80% LTV, priced by the Chainlink proxy); no positions. */
  aave: AaveV3Market
  /** sUSDS-style vault over USDC at 5% a year, decimals offset 6; no deposits. */
  accruingVault: { vault: Address; asset: Address; pot: Address; ratePerSecond: bigint }
  /** stETH-like token; 100 stDETH staked per holder. */
  rebasingShares: Address
}

/** What each holder starts with. */
export const thirdPartyFunding = {
  usdc: 1_000_000n * 10n ** 6n,
  weth9: 100n * 10n ** 18n,
  rebasingShares: 100n * 10n ** 18n,
} as const

/**
 * Deploys all third-party contracts on one chain, wired the way they are on mainnet where they
 * meet (Aave prices WETH9 through the Chainlink proxy; Uniswap pairs WETH9 with USDC; the vault
 * saves USDC): Uniswap V2 factory and a seeded pair, WETH9, a Chainlink `EACAggregatorProxy` over a
 * `FluxAggregator` (plus a second aggregator for a phase change), an Aave V3 market, an
 * `AccruingVault` and a `RebasingShares` token, and funds the holders. Sequential, so addresses are
 * the same on every fresh chain. About 55 transactions (1.3 s on a 2-core machine).
 *
 * @param chain A running chain (from `startChains`, with anvil's dev accounts).
 * @returns Every address.
 * @throws DevnetError when the chain has too few unlocked accounts.
 * @example
 * ```ts
 * const { chains, stop } = await startChains({ count: 1 })
 * const universe = await deployThirdPartyUniverse(chains[0])
 * universe.chainlink.ethUsd.proxy // read latestRoundData here
 * ```
 */
export async function deployThirdPartyUniverse(chain: DevnetChainHandle): Promise<ThirdPartyUniverse> {
  const accounts = ((await chain.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) =>
    getAddress(a),
  )
  const pick = (i: number) => {
    const a = accounts[i]
    if (a === undefined) {
      throw new DevnetError('Not enough dev accounts.', {
        details: `The third-party universe uses account ${i}; ${chain.name} has ${accounts.length}.`,
        metaMessages: ['Start anvil with at least 5 accounts (the devnet starts 20).'],
      })
    }
    return a
  }
  const deployer = pick(thirdPartyAccounts.deployer)
  const oracle = pick(thirdPartyAccounts.oracle)
  const pot = pick(thirdPartyAccounts.pot)
  const holders = thirdPartyAccounts.holders.map(pick)

  const usdc = (await deploy(chain, deployer, 'DevnetToken', ['USD Coin', 'USDC', 6, deployer])).address
  const weth9 = await deployWeth9(chain, deployer)
  const seed = { usdc: 3_000_000n * 10n ** 6n, weth9: 1_000n * 10n ** 18n }
  await write(chain, deployer, usdc, 'DevnetToken', 'mint', [deployer, seed.usdc])
  await wrapWeth9(chain, { from: deployer, weth: weth9, amount: seed.weth9 })
  for (const holder of holders) {
    await write(chain, deployer, usdc, 'DevnetToken', 'mint', [holder, thirdPartyFunding.usdc])
    await wrapWeth9(chain, { from: holder, weth: weth9, amount: thirdPartyFunding.weth9 })
  }

  const factory = await deployUniswapV2Factory(chain, deployer)
  const pair = await createUniswapV2Pair(chain, deployer, factory, usdc, weth9)
  const usdcIs0 = pair.token0 === usdc
  await addUniswapV2Liquidity(chain, {
    from: deployer,
    pair,
    amount0: usdcIs0 ? seed.usdc : seed.weth9,
    amount1: usdcIs0 ? seed.weth9 : seed.usdc,
  })

  const ethUsd = await deployChainlinkFeed(chain, {
    from: deployer,
    oracle,
    decimals: 8,
    description: 'ETH / USD',
    answer: 3_000_00000000n,
  })
  const nextEthUsdAggregator = await deployFluxAggregator(chain, {
    from: deployer,
    link: ethUsd.link,
    oracle,
    decimals: 8,
    description: 'ETH / USD',
  })
  const usdcUsd = (await deploy(chain, deployer, 'DevnetPriceFeed', [8, 'USDC / USD', deployer])).address
  await write(chain, deployer, usdcUsd, 'DevnetPriceFeed', 'updateAnswer', [1_00000000n])

  const aave = await deployAaveV3Market(chain, {
    from: deployer,
    reserves: [
      { asset: usdc, priceFeed: usdcUsd, borrowable: true, ltvBps: 7_500 },
      { asset: weth9, priceFeed: ethUsd.proxy, ltvBps: 8_000 },
    ],
  })

  const ratePerSecond = accruingVaultRatePerSecond(500)
  const vault = await deployAccruingVault(chain, {
    from: deployer,
    asset: usdc,
    pot,
    ratePerSecond,
    decimalsOffset: 6,
  })

  const rebasingShares = await deployRebasingShares(chain, { from: deployer })
  for (const holder of holders)
    await mintRebasingShares(chain, {
      from: deployer,
      token: rebasingShares,
      to: holder,
      amount: thirdPartyFunding.rebasingShares,
    })

  return {
    chainId: chain.chainId,
    deployer,
    oracle,
    pot,
    holders,
    usdc,
    weth9,
    uniswapV2: { factory, ...pair },
    chainlink: { ethUsd, nextEthUsdAggregator, usdcUsd },
    aave,
    accruingVault: { vault, asset: usdc, pot, ratePerSecond },
    rebasingShares,
  }
}
