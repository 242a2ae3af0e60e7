import { type Address, encodeFunctionData, erc20Abi, type Hex, hexToBigInt } from 'viem'
import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import { IndexerError } from '../errors/IndexerError.js'
import type { ChainRpc } from '../rpc/createChainRpc.js'
import { multicallAt } from '../rpc/multicallAt.js'

/** A value to read: a holder's balance of a token, or a token's supply (`holder` undefined). */
export type SeedKey = { token: Address; holder: Address | undefined }

/**
 * Node messages saying the state of an old block is gone (a pruned, non-archive node; history
 * expiry): ../shared/REALWORLD.md. The one place the seeding recognises them.
 */
const STATE_UNAVAILABLE =
  /missing trie node|header not found|pruned|4444|state (is )?not available|historical state/i

/**
 * Reads `balanceOf`/`totalSupply` at `block` for every key: the values tracking starts from, so
 * that logs from `block + 1` on make them exact at every later block (`startBlock` can then be any
 * block). Through Multicall3's `aggregate3` (`multicallAt`);
 * where Multicall3 has no code at that block, one `eth_call` per key (sent as one JSON-RPC batch).
 * A token without code at `block` (deployed later) reads as 0. Before genesis every value is 0.
 *
 * @param rpc The chain's RPC client.
 * @param chain The chain (for errors).
 * @param keys What to read.
 * @param block The block whose end state is read (tracking starts at `block + 1`).
 * @returns The values, in the order of `keys`.
 * @throws IndexerError when the node has no state for `block` (it names the chain, the block and
 *   the fix), or when a token's call reverts.
 * @example
 * ```ts
 * const [balance] = await readSeeds(rpc, chain, [{ token: usdc, holder: treasury }], 19_000_000)
 * ```
 */
export async function readSeeds(
  rpc: ChainRpc,
  chain: ResolvedChainConfig,
  keys: readonly SeedKey[],
  block: number,
): Promise<bigint[]> {
  if (block < 0 || keys.length === 0) return keys.map(() => 0n)
  const calls = keys.map((k) => ({
    target: k.token,
    callData:
      k.holder === undefined
        ? encodeFunctionData({ abi: erc20Abi, functionName: 'totalSupply' })
        : encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [k.holder] }),
  }))
  try {
    const results = await multicallAt(rpc, chain.multicall3, calls, block)
    return results.map((r, i) => decodeValue(chain, keys[i] as SeedKey, r.success, r.returnData, block))
  } catch (error) {
    if (!isStateUnavailable(error)) throw error
    throw new IndexerError(`Chain ${chain.name} cannot serve state at block ${block}.`, {
      details: `Seeding balances and supplies at startBlock - 1 = ${block} (chain ${chain.chainId}) needs that block's state; the node answered: ${messageOf(error)}`,
      metaMessages: [
        'Use an archive node URL for this chain (chains[].rpcUrls), or a later startBlock that the node still has state for.',
      ],
      cause: error,
    })
  }
}

function decodeValue(
  chain: ResolvedChainConfig,
  key: SeedKey,
  success: boolean,
  data: Hex,
  block: number,
): bigint {
  // No code at the token (not deployed yet at that block): nothing held, nothing issued.
  if (success && data === '0x') return 0n
  if (success && data.length === 66) return hexToBigInt(data)
  const call = key.holder === undefined ? 'totalSupply()' : `balanceOf(${key.holder})`
  throw new IndexerError(`Could not read ${call} of ${key.token} on chain ${chain.name}.`, {
    details: `At block ${block} the call ${success ? `returned ${data.length / 2 - 1} bytes` : 'reverted'}; an ERC-20 returns one word.`,
    metaMessages: ['Check that the address in the config is an ERC-20 token on this chain.'],
  })
}

function isStateUnavailable(error: unknown): boolean {
  return STATE_UNAVAILABLE.test(messageOf(error))
}

/** The node's words: an RPC error's details (the RPC layer keeps URLs out of them), else the message. */
function messageOf(error: unknown): string {
  const { details, shortMessage, message, code } = error as Partial<IndexerError> & { code?: unknown }
  const text =
    typeof details === 'string' && details !== '' ? details : (shortMessage ?? message ?? String(error))
  return typeof code === 'number' ? `${text} (code ${code})` : text
}
