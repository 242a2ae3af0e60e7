import { formatDecimal } from '@ballast/sdk'
import { type Client, parseAbi } from 'viem'
import { getBlockNumber, getLogs } from 'viem/actions'
import type { DecidedSwap } from './KeeperDecision.js'
import type { ResolvedPolicy } from './KeeperPolicy.js'

const swapEvent = parseAbi([
  'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
])[0]

/**
 * Whether the signers executed a proposal's swaps: for each, a `Swap` on its venue's pair paying
 * the treasury, selling the exact amount proposed, in a block after the ones the decision read.
 * The indexer does not follow swap venues, so the pair's logs are read from the chain.
 *
 * @param swaps - The proposal's first-wave swaps.
 * @param context - Policy (venues by action), the action id, clients, the block read per chain,
 *   decimals by asset.
 * @returns true when every swap is seen (vacuously for none)
 */
export async function proposedSwapsSeen(
  swaps: readonly DecidedSwap[],
  context: {
    policy: ResolvedPolicy
    actionId: string
    clients: Readonly<Record<number, Client>>
    readAt: (chainId: number) => bigint
    decimalsOf: (asset: string) => number
  },
): Promise<boolean> {
  const action = context.policy.actions.find((a) => a.id === context.actionId)
  if (action?.kind !== 'rebalance') return swaps.length === 0
  for (const s of swaps) {
    const venue = action.venues.find((v) => v.id === s.venueId)
    const client = context.clients[s.chainId]
    if (venue === undefined || client === undefined) return false
    const fromBlock = context.readAt(s.chainId) + 1n
    // Nodes refuse a range starting past their head; nothing can be there yet anyway.
    if ((await getBlockNumber(client, { cacheTime: 0 })) < fromBlock) return false
    const logs = await getLogs(client, {
      address: venue.pair,
      event: swapEvent,
      args: { to: context.policy.treasury.get(s.chainId) },
      fromBlock,
    })
    const sold = (amount: bigint) => formatDecimal(amount, context.decimalsOf(s.assetIn)) === s.amountIn
    if (!logs.some((l) => sold(l.args.amount0In!) || sold(l.args.amount1In!))) return false
  }
  return true
}
