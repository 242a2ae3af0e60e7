import { type Address, type Client, encodeFunctionData, erc20Abi } from 'viem'
import { readContract } from 'viem/actions'
import type { TransactionRequest } from './prepareTransfers.js'

/**
 * Allowances as an execution will leave them, by `chainId|token|owner|spender`: read from the chain
 * the first time, then spent by each prepared step in execution order.
 */
export type AllowanceLedger = Map<string, bigint>

/**
 * The ERC-20 approval a step needs before its spender pulls `amount`, or none when the allowance
 * left by the steps before it still covers the amount.
 *
 * Why a ledger and not one read per step: two steps of one owner through one spender (two sends
 * from the home chain's OFTAdapter, or two sales on one router) would each see the allowance as it
 * is now, and the second would skip an approval the first one used up. An approval sets the
 * allowance to `amount` and the step spends it all, so it leaves zero.
 *
 * @param client - viem client of the chain (reads the allowance once per key)
 * @param ledger - allowances left by the steps prepared so far, updated
 * @param request - chain, token, owner (who signs), spender (who pulls), amount
 * @returns the `approve(spender, amount)` transaction, or undefined
 */
export async function plannedApproval(
  client: Client,
  ledger: AllowanceLedger,
  request: { chainId: number; token: Address; owner: Address; spender: Address; amount: bigint },
): Promise<TransactionRequest | undefined> {
  const { chainId, token, owner, spender, amount } = request
  const key = [chainId, token, owner, spender].join('|').toLowerCase()
  const left =
    ledger.get(key) ??
    (await readContract(client, {
      address: token,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [owner, spender],
    }))
  if (left >= amount) {
    ledger.set(key, left - amount)
    return undefined
  }
  ledger.set(key, 0n)
  return {
    chainId,
    from: owner,
    to: token,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender, amount] }),
    value: 0n,
  }
}
