import type { Address } from 'viem'
import { type AllowanceLedger, plannedApproval } from './plannedApproval.js'
import { PlanExecutionError } from './plannerErrors.js'
import {
  clientOf,
  type PreparedTransfer,
  type PrepareTransfersParameters,
  prepareTransfer,
  type TransactionRequest,
} from './prepareTransfers.js'
import type { PlannedSwap, PlannedTransfer } from './RebalancePlan.js'

type StepBase = {
  /** The plan's wave: every step of a wave may start once the steps of earlier waves are done. */
  wave: number
  /** Chain the transactions go to. */
  chainId: number
  /** Who signs them: the holder of the book the step spends from. */
  from: Address
  /**
   * Transfers of earlier waves into the books this step spends or swaps (the sender's book of the
   * asset for a transfer, both books of the pair for a swap): start only once they are delivered
   * (a bridge transfer on its destination, an internal one with its receipt).
   */
  waitsFor: readonly PlannedTransfer[]
  /** ERC-20 approval to send first (absent when the allowance the steps before leave covers it). */
  approval?: TransactionRequest | undefined
  /** The swap (Router02 `swapExactTokensForTokens`) or the transfer (`OFT.send`, `ERC20.transfer`). */
  transaction: TransactionRequest
}

/** One executable step of a plan: a swap or a transfer, with its approval. */
export type PreparedStep =
  | (StepBase & { kind: 'swap'; swap: PlannedSwap })
  | (StepBase & { kind: 'transfer'; prepared: PreparedTransfer })

/** Parameters of {@link prepareSteps}: those of `prepareTransfers` (clients must cover the swaps' chains). */
export type PrepareStepsParameters = PrepareTransfersParameters

/**
 * Makes a whole plan executable in dependency order: per wave, its swaps (approval of the sold
 * token to the router, then the router call the plan encoded) and its transfers (as
 * `prepareTransfers` prepares them). Run the steps in the order returned, on each chain one after
 * the other's receipt, and start a step only once the transfers in its `waitsFor` are delivered;
 * steps of one wave on different chains do not depend on each other.
 *
 * A swap's approval is checked like an OFTAdapter's: against the allowance on the chain, less what
 * the steps before it spend.
 *
 * @param parameters - plan, clients, OFT addresses, endpoint ids, slippage, executor options
 * @returns the steps, by wave (a wave's swaps first, each kind in the plan's order)
 * @throws {PlanExecutionError} when an address, a swap's calldata, a client, an OFT or an endpoint
 *   id is missing
 * @example
 * ```ts
 * for (const step of await prepareSteps({ plan, clients, ofts })) {
 *   await waitForDeliveries(step.waitsFor)
 *   if (step.approval) await wallet.sendTransaction(step.approval)
 *   await wallet.sendTransaction(step.transaction)
 * }
 * ```
 */
export async function prepareSteps(parameters: PrepareStepsParameters): Promise<PreparedStep[]> {
  const { plan } = parameters
  type Action = { wave: number; swap: PlannedSwap } | { wave: number; transfer: PlannedTransfer }
  const actions: Action[] = [
    ...(plan.swaps ?? []).map((swap) => ({ wave: swap.wave, swap })),
    ...plan.transfers.map((transfer) => ({ wave: transfer.wave, transfer })),
  ]
  // Stable: within a wave, swaps before transfers, each in the plan's order.
  actions.sort((x, y) => x.wave - y.wave)
  // Prepared in execution order: each approval sees the allowance the steps before it leave.
  const ledger: AllowanceLedger = new Map()
  const steps: PreparedStep[] = []
  for (const action of actions) {
    if ('swap' in action) {
      steps.push(await prepareSwap(action.swap, parameters, ledger))
      continue
    }
    const t = action.transfer
    const prepared = await prepareTransfer(t, parameters, ledger)
    steps.push({
      kind: 'transfer',
      wave: t.wave,
      chainId: t.from.chainId,
      from: prepared.transaction.from,
      waitsFor: deliveriesInto(plan.transfers, t.wave, t.from.chainId, t.from.member, [t.asset]),
      ...(prepared.approval === undefined ? {} : { approval: prepared.approval }),
      transaction: prepared.transaction,
      prepared,
    })
  }
  return steps
}

async function prepareSwap(
  swap: PlannedSwap,
  parameters: PrepareStepsParameters,
  ledger: AllowanceLedger,
): Promise<PreparedStep> {
  const where = `swap ${swap.amountIn} ${swap.assetIn} -> ${swap.assetOut} on ${swap.venueId}`
  const from = swap.fromAddress
  if (from === undefined || swap.call === undefined || swap.approveCall === undefined) {
    throw new PlanExecutionError('Swap without holder address.', {
      details: `${where} has no ${from === undefined ? 'seller' : 'recipient'} address, so no router call.`,
      metaMessages: ['Set PlannerNode.address on the nodes of the plan.'],
    })
  }
  const client = clientOf(parameters.clients, swap.chainId, where)
  const approval = await plannedApproval(client, ledger, {
    chainId: swap.chainId,
    token: swap.approveCall.to,
    owner: from,
    spender: swap.call.to,
    amount: swap.amountIn,
  })
  return {
    kind: 'swap',
    wave: swap.wave,
    chainId: swap.chainId,
    from,
    waitsFor: deliveriesInto(parameters.plan.transfers, swap.wave, swap.chainId, swap.member, [
      swap.assetIn,
      swap.assetOut,
    ]),
    ...(approval === undefined ? {} : { approval }),
    transaction: { chainId: swap.chainId, from, ...swap.call },
    swap,
  }
}

/** Transfers of waves before `wave` into the books of `assets` of `member` on `chainId`. */
function deliveriesInto(
  transfers: readonly PlannedTransfer[],
  wave: number,
  chainId: number,
  member: string | undefined,
  assets: readonly string[],
): PlannedTransfer[] {
  return transfers.filter(
    (t) => t.wave < wave && t.to.chainId === chainId && t.to.member === member && assets.includes(t.asset),
  )
}
