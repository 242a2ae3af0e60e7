import { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { type AbiEvent, type Address, erc20Abi, type Hex, pad, toEventSelector } from 'viem'
import type { BenchTargetChain } from '../BenchTarget.js'

const events = (abi: readonly unknown[]): AbiEvent[] =>
  (abi as readonly { type: string }[]).filter((item): item is AbiEvent => item.type === 'event')

/** The events Ballast indexes, by the contract kind that emits them (the ABIs live in @ballast/sdk). */
export const benchEvents = {
  tokens: events(erc20Abi).filter((e) => e.name === 'Transfer'),
  registries: events(reservePoolRegistryAbi),
  feeds: events(aggregatorV3Abi),
  ofts: events(oftAbi),
  vaults: events(erc4626Abi),
} as const

/**
 * The address list and topic0 list that select exactly the indexed logs of one chain: every
 * contract of the target with the union of the event selectors. A log of another event from the
 * same address (say an `Approval`) is not selected.
 *
 * @param chain - one chain of the bench target.
 * @returns `address` and `topics` for `eth_getLogs`.
 * @example
 * const { address, topics } = benchLogFilter(target.chains[0])
 */
export function benchLogFilter(chain: BenchTargetChain): { address: Address[]; topics: [Hex[]] } {
  const address = [
    ...chain.tokens.map((t) => t.address),
    ...chain.registries,
    ...chain.feeds,
    ...chain.ofts,
    ...chain.vaults,
  ]
  const selectors = new Set<Hex>()
  for (const list of Object.values(benchEvents)) for (const e of list) selectors.add(toEventSelector(e))
  return { address: [...new Set(address)], topics: [[...selectors]] }
}

/** One `eth_getLogs` filter: addresses and topics. */
export type BenchLogFilter = { address: Address[]; topics: (Hex | Hex[] | null)[] }

/**
 * The filters that select exactly the relevant logs of a scoped chain (see `BenchTargetChain.scoped`):
 * reserve `Transfer`s with topic1, then topic2, in the holders; liability `Transfer`s from and to
 * the zero address; feed answers by address. The topic-filtered floor fetches these.
 *
 * @param chain - one scoped chain of the bench target.
 * @returns the filters (a log matches at most one when no holder pays another).
 * @example
 * const filters = scopedLogFilters(target.chains[0])
 */
export function scopedLogFilters(chain: BenchTargetChain): BenchLogFilter[] {
  const transfer = toEventSelector('Transfer(address,address,uint256)')
  const holders = chain.holders.map((h) => pad(h))
  const zero = pad('0x0000000000000000000000000000000000000000')
  const reserve = chain.tokens.filter((t) => t.kind === 'reserve').map((t) => t.address)
  const liability = chain.tokens.filter((t) => t.kind === 'liability').map((t) => t.address)
  const filters: BenchLogFilter[] = [
    { address: reserve, topics: [transfer, holders] },
    { address: reserve, topics: [transfer, null, holders] },
    { address: liability, topics: [transfer, zero] },
    { address: liability, topics: [transfer, null, zero] },
  ]
  if (chain.feeds.length > 0) {
    filters.push({ address: [...chain.feeds], topics: [benchEvents.feeds.map((e) => toEventSelector(e))] })
  }
  return filters.filter((f) => f.address.length > 0)
}
