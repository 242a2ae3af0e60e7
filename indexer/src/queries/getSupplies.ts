import type { Address } from 'viem'
import { decodeUint256 } from '../storage/uint256.js'
import { latestRows } from './latestRows.js'
import type { At, QueryContext } from './QueryContext.js'
import { resolveAt } from './resolveAt.js'

/** Total supply (mints - burns) of a token on one chain. */
export type Supply = { chainId: number; token: Address; supply: bigint; updatedAtBlock: number }

/**
 * Supplies of the tracked supply tokens (liability tokens, vault shares) per chain at a point in
 * time: `totalSupply()` at that block, from Transfer mints and burns. An OFT's supply on each chain
 * counts only what is minted there, so bridged amounts are never counted twice.
 *
 * @param ctx Database and config.
 * @param filter `chainId`, `token`, `at`.
 * @returns One entry per (chain, token).
 * @example
 * ```ts
 * const supplies = await getSupplies(ctx, { token: liabilityToken })
 * ```
 */
export async function getSupplies(
  ctx: QueryContext,
  filter: { chainId?: number | undefined; token?: Address | undefined; at?: At | undefined } = {},
): Promise<Supply[]> {
  const at = await resolveAt(ctx, filter.at, { blockTimes: false })
  const rows = await latestRows(ctx, 'supplies', ['token'], at, {
    chain_id: filter.chainId,
    token: filter.token?.toLowerCase(),
  })
  return rows
    .map((r) => ({
      chainId: r.chain_id,
      token: r.token as Address,
      supply: decodeUint256(r.supply),
      updatedAtBlock: r.block_number,
    }))
    .sort((a, b) => a.chainId - b.chainId || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0))
}
