import { knownEndpointIds } from '@ballast/sdk/planner'
import type { Address, Chain } from 'viem'
import * as viemChains from 'viem/chains'
import { ConfigError } from '../errors/ConfigError.js'

/** Multicall3's address on nearly every chain (REALWORLD.md), for chains viem does not list it on. */
export const MULTICALL3_ADDRESS: Address = '0xca11bde05977b3631167028862be2a173976ca11'

/** Block time assumed when neither the config nor viem's chain definitions give one, in seconds. */
export const DEFAULT_BLOCK_TIME = 12

/**
 * Seconds a default finality depth covers: 64 blocks of Ethereum (two epochs, when a block is
 * finalized), so the fallback depth of a chain is `ceil(768 / blockTime)` blocks. Used only when
 * the node does not answer the `finalized` tag.
 */
export const DEFAULT_FINALITY_SECONDS = 768

/** What a chain name fills in (`chain: 'base'`). */
export type NamedChain = {
  chainId: number
  name: string
  /** Seconds per block. */
  blockTime: number
  multicall3: Address
  /** LayerZero V2 endpoint id, when the sdk's table has the chain. */
  eid: number | undefined
  /** Fallback finality depth: {@link DEFAULT_FINALITY_SECONDS} of blocks. */
  finalityDepth: number
}

const byKey = new Map<string, Chain>()
const byId = new Map<number, Chain>()
for (const [key, chain] of Object.entries(viemChains as Record<string, unknown>)) {
  const c = chain as Chain
  if (typeof c !== 'object' || c === null || typeof c.id !== 'number') continue
  byKey.set(key.toLowerCase(), c)
  if (!byId.has(c.id)) byId.set(c.id, c)
}
byKey.set('ethereum', viemChains.mainnet)

/**
 * A chain by its viem name (`'mainnet'` or `'ethereum'`, `'base'`, `'arbitrum'`, `'optimism'`,
 * `'polygon'`, … case-insensitive): chain id, display name, block time, Multicall3 address, a
 * default finality depth, and the LayerZero endpoint id from the sdk's table.
 *
 * @param name The chain's name in viem's `viem/chains`.
 * @param field The config field, for the error.
 * @returns What the name fills in.
 * @throws ConfigError when viem knows no chain of that name.
 * @example
 * ```ts
 * namedChain('base', 'chains[0].chain') // { chainId: 8453, name: 'Base', blockTime: 2, eid: 30184, … }
 * ```
 */
export function namedChain(name: string, field: string): NamedChain {
  const chain = byKey.get(name.toLowerCase())
  if (chain === undefined) {
    throw new ConfigError(field, `names no chain known to viem`, {
      value: name,
      hint: "Use a name of viem/chains ('mainnet', 'base', 'arbitrum', 'optimism', 'polygon', …), or give chainId instead.",
    })
  }
  return describe(chain)
}

/**
 * What viem knows of a chain id (block time, Multicall3), for chains configured by id.
 *
 * @param chainId The chain id.
 * @returns The description, or undefined for a chain viem does not list.
 * @example
 * ```ts
 * chainById(1)?.blockTime // 12
 * ```
 */
export function chainById(chainId: number): NamedChain | undefined {
  const chain = byId.get(chainId)
  return chain === undefined ? undefined : describe(chain)
}

function describe(chain: Chain): NamedChain {
  const blockTime =
    typeof chain.blockTime === 'number' && chain.blockTime > 0 ? chain.blockTime / 1000 : DEFAULT_BLOCK_TIME
  const multicall = chain.contracts?.multicall3
  const multicall3 =
    multicall !== undefined && 'address' in multicall
      ? (multicall.address.toLowerCase() as Address)
      : MULTICALL3_ADDRESS
  return {
    chainId: chain.id,
    name: chain.name,
    blockTime,
    multicall3,
    eid: knownEndpointIds[chain.id],
    finalityDepth: Math.ceil(DEFAULT_FINALITY_SECONDS / blockTime),
  }
}
