import type { PoolState } from '@ballast/sdk'
import { type Address, type Client, erc20Abi } from 'viem'
import { getBlockNumber, readContract } from 'viem/actions'

const WAD = 10n ** 18n
export const TREASURY_POOL_ID = `0x${'42'.repeat(32)}`
const memberId = `0x${'a1'.repeat(32)}`

/** A devnet chain as the keeper tests see it. */
export type TreasuryChain = {
  chainId: number
  name: string
  client: Client
  usdc: Address
  /** WETH's token on the chain: the treasury's WETH there is a reserve of the pool too (3,000 USD). */
  weth?: Address | undefined
}

/**
 * The pool as the indexer would serve it for the keeper tests: one member whose reserves are the
 * treasury's USDC on each chain (read from the chains now), liabilities of 500 tUSD on the remote
 * chain, and a liquidity target there (by default minimum 300, target 400 USD). With WETH tokens on
 * the chains, the treasury's WETH is held too, at 3,000 USD.
 */
export async function treasuryPoolState(parameters: {
  chains: readonly TreasuryChain[]
  homeChainId: number
  holders: ReadonlyMap<number, Address>
  target?: { minLiquidityUsd: bigint; targetLiquidityUsd: bigint }
}): Promise<PoolState> {
  const now = Math.floor(Date.now() / 1000)
  const remote = parameters.chains.find((c) => c.chainId !== parameters.homeChainId)!
  const blocks = []
  const holdings = []
  for (const c of parameters.chains) {
    blocks.push({
      chainId: c.chainId,
      blockNumber: await getBlockNumber(c.client, { cacheTime: 0 }),
      timestamp: now,
    })
    const amount = await readContract(c.client, {
      address: c.usdc,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [parameters.holders.get(c.chainId)!],
    })
    holdings.push({ chainId: c.chainId, asset: 'USDC', amount, decimals: 6 })
    if (c.weth !== undefined) {
      const weth = await readContract(c.client, {
        address: c.weth,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [parameters.holders.get(c.chainId)!],
      })
      holdings.push({ chainId: c.chainId, asset: 'WETH', amount: weth, decimals: 18 })
    }
  }
  const withWeth = parameters.chains.some((c) => c.weth !== undefined)
  const price = { answer: 100_000_000n, decimals: 8, updatedAt: now }
  const flat = { haircutFloor: 0n, liquidationThreshold: WAD, liquidationHorizon: 86_400 }
  return {
    timestamp: now,
    blocks,
    chains: parameters.chains.map((c) => ({ chainId: c.chainId, name: c.name })),
    assets: [
      { kind: 'erc20', symbol: 'USDC', decimals: 6, price },
      { kind: 'erc20', symbol: 'tUSD', decimals: 18, price },
      ...(withWeth
        ? [
            {
              kind: 'erc20' as const,
              symbol: 'WETH',
              decimals: 18,
              price: { ...price, answer: 3000n * 10n ** 8n },
            },
          ]
        : []),
    ],
    riskParameters: [
      { asset: 'USDC', ...flat },
      { asset: 'tUSD', ...flat },
      ...(withWeth ? [{ asset: 'WETH', ...flat }] : []),
    ],
    pools: [
      {
        id: TREASURY_POOL_ID,
        name: 'treasury pool',
        minRatio: WAD,
        targetRatio: WAD,
        liquidityTargets: [
          {
            chainId: remote.chainId,
            ...(parameters.target ?? { minLiquidityUsd: 300n * WAD, targetLiquidityUsd: 400n * WAD }),
          },
        ],
      },
    ],
    members: [
      {
        id: memberId,
        name: 'treasury',
        poolId: TREASURY_POOL_ID,
        liabilityAsset: 'tUSD',
        holdings,
        liabilities: [{ chainId: remote.chainId, supply: 500n * WAD, decimals: 18 }],
        inFlight: [],
      },
    ],
  }
}
