import type { SwapVenue } from '@ballast/sdk/planner'
import { type Address, type Client, parseAbi } from 'viem'
import { readContract } from 'viem/actions'
import { ApiError } from '../errors/ApiError.js'
import type { ResolvedSwapVenue } from './KeeperPolicy.js'

const pairAbi = parseAbi([
  'function token0() view returns (address)',
  'function token1() view returns (address)',
  'function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)',
])

/**
 * The planner's view of the policy's venues at the head: each pair's `getReserves()`, ordered as
 * the venue names its assets (the pair sorts its tokens by address, the policy by meaning).
 *
 * @param venues - The action's venues.
 * @param context - Clients by chain id; the token of an asset symbol on a chain (undefined if none).
 * @returns The venues as `SwapSettings.venues`.
 * @throws {ApiError} when an asset has no token on the venue's chain, or the pair does not trade
 *   exactly the two tokens the venue names (a wrong pair address would price the wrong market).
 */
export async function readSwapVenues(
  venues: readonly ResolvedSwapVenue[],
  context: {
    clients: Readonly<Record<number, Client>>
    tokenOf: (asset: string, chainId: number) => Address | undefined
  },
): Promise<SwapVenue[]> {
  const out: SwapVenue[] = []
  for (const v of venues) {
    const client = context.clients[v.chainId]!
    const tokens = v.assets.map((asset) => {
      const token = context.tokenOf(asset, v.chainId)
      if (token === undefined) {
        throw new ApiError(`Venue ${v.id} trades ${asset}, which has no token on chain ${v.chainId}.`, {
          metaMessages: [`Add ${asset}'s token on chain ${v.chainId} to the config's assets.`],
        })
      }
      return token.toLowerCase() as Address
    }) as [Address, Address]
    const read = (functionName: 'token0' | 'token1') =>
      readContract(client, { address: v.pair, abi: pairAbi, functionName })
    const [token0, token1] = [(await read('token0')).toLowerCase(), (await read('token1')).toLowerCase()]
    const straight = token0 === tokens[0] && token1 === tokens[1]
    if (!straight && !(token0 === tokens[1] && token1 === tokens[0])) {
      throw new ApiError(`Venue ${v.id}: the pair does not trade ${v.assets[0]} and ${v.assets[1]}.`, {
        details: `Pair ${v.pair} on chain ${v.chainId} trades ${token0} and ${token1}; the venue's tokens are ${tokens.join(' and ')}.`,
        metaMessages: ['Check the venue’s pair address and assets in the policy.'],
      })
    }
    const [reserve0, reserve1] = await readContract(client, {
      address: v.pair,
      abi: pairAbi,
      functionName: 'getReserves',
    })
    out.push({
      id: v.id,
      chainId: v.chainId,
      assets: v.assets,
      tokens,
      reserves: straight ? [reserve0, reserve1] : [reserve1, reserve0],
      feeBps: BigInt(v.feeBps),
      router: v.router,
    })
  }
  return out
}
