import { decodeFunctionResult, encodeFunctionData, erc20Abi, numberToHex } from 'viem'
import type { BenchTarget } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'
import { balanceKey, supplyKey, type Totals } from './Totals.js'

/**
 * The reference totals, read from the chains themselves at each chain's end block: `balanceOf`
 * of every tracked holder in every reserve token and `totalSupply` of every liability token
 * (one batched `eth_call` request per chain). Every peer must match these exactly.
 *
 * @param target - the laid-down history.
 * @returns the totals keyed like every peer's.
 * @example
 * const reference = await chainTotals(target)
 */
export async function chainTotals(target: BenchTarget): Promise<Totals> {
  const totals: Totals = new Map()
  for (const chain of target.chains) {
    const block = numberToHex(chain.endBlock)
    const calls: { key: string; to: string; data: `0x${string}`; fn: 'balanceOf' | 'totalSupply' }[] = []
    for (const token of chain.tokens) {
      if (token.kind === 'reserve') {
        for (const holder of chain.holders) {
          calls.push({
            key: balanceKey(chain.chainId, token.address, holder),
            to: token.address,
            data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder] }),
            fn: 'balanceOf',
          })
        }
      } else {
        calls.push({
          key: supplyKey(chain.chainId, token.address),
          to: token.address,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'totalSupply' }),
          fn: 'totalSupply',
        })
      }
    }
    const results = await rpcBatch(
      chain.rpcUrl,
      calls.map((c) => ({ method: 'eth_call', params: [{ to: c.to, data: c.data }, block] })),
    )
    calls.forEach((c, i) => {
      totals.set(
        c.key,
        decodeFunctionResult({ abi: erc20Abi, functionName: c.fn, data: results[i] as `0x${string}` }),
      )
    })
  }
  return totals
}

/**
 * Keys where `actual` differs from `reference` (a missing key in `actual` counts as 0).
 *
 * @returns one line per differing key: `key: expected X, got Y`.
 */
export function diffTotals(reference: Totals, actual: Totals): string[] {
  const diffs: string[] = []
  for (const [key, expected] of reference) {
    const got = actual.get(key) ?? 0n
    if (got !== expected) diffs.push(`${key}: expected ${expected}, got ${got}`)
  }
  return diffs
}
