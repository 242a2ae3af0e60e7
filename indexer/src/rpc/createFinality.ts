import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import type { ChainRpc } from './createChainRpc.js'
import { RpcError } from './RpcError.js'

/**
 * The chain's finalized block for a head: with `finality: 'tag'`, the node's `finalized` block
 * (Ethereum's two-epoch finality, an L2's L1-finalized batch), never above the head; when the
 * node does not know the tag (an error that is not retryable, or a null block), the depth rule
 * `head - finalityDepth` from then on. With `finality: 'depth'`, always the depth rule.
 *
 * @param rpc The chain's client.
 * @param chain The chain's config (`finality`, `finalityDepth`).
 * @returns A function from the head's number to the finalized block's.
 * @example
 * ```ts
 * const finalizedFor = createFinality(rpc, chain)
 * const finalized = await finalizedFor(head.number)
 * ```
 */
export function createFinality(
  rpc: Pick<ChainRpc, 'getBlock'>,
  chain: Pick<ResolvedChainConfig, 'finality' | 'finalityDepth'>,
): (head: number) => Promise<number> {
  let useTag = chain.finality === 'tag'
  return async (head) => {
    const byDepth = head - chain.finalityDepth
    if (!useTag) return byDepth
    try {
      const finalized = await rpc.getBlock('finalized')
      return Math.min(head, finalized.number)
    } catch (error) {
      // A transient failure fails the step (retried); an unknown tag falls back for good.
      if (error instanceof RpcError && error.retryable) throw error
      useTag = false
      return byDepth
    }
  }
}
