import type { PreparedStep } from '@ballast/sdk/planner'
import type { Address } from 'viem'
import type { PlannedTransaction } from './createKeeperJournal.js'
import type { SafeCall } from './simulateSafeBatch.js'

/**
 * What execute mode journals for prepared steps, in order: each step's approval (when needed),
 * then its router call (`swap`) or its transfer (`send` over a bridge, with the destination OFT
 * the delivery is looked for on; `transfer` on one chain).
 *
 * @param steps - The steps (`prepareSteps`), in execution order.
 * @param dstOft - The bridged asset's OFT on a destination chain.
 * @returns The planned transactions.
 */
export function plannedTransactionsOf(
  steps: readonly PreparedStep[],
  dstOft: (chainId: number) => Address | undefined,
): PlannedTransaction[] {
  return steps.flatMap((s): PlannedTransaction[] => {
    const approval: PlannedTransaction[] =
      s.approval === undefined
        ? []
        : [
            {
              chainId: s.approval.chainId,
              sender: s.approval.from,
              to: s.approval.to,
              value: s.approval.value,
              data: s.approval.data,
              purpose: 'approve',
            },
          ]
    const call = {
      chainId: s.transaction.chainId,
      sender: s.transaction.from,
      to: s.transaction.to,
      value: s.transaction.value,
      data: s.transaction.data,
    }
    if (s.kind === 'swap') return [...approval, { ...call, purpose: 'swap' }]
    const { transfer } = s.prepared
    return [
      ...approval,
      {
        ...call,
        purpose: transfer.kind === 'bridge' ? 'send' : 'transfer',
        dstChainId: transfer.to.chainId,
        dstOft: dstOft(transfer.to.chainId),
      },
    ]
  })
}

/** The Safe calls of one chain's steps, in order: each approval, then the step's call. */
export function safeCallsOf(steps: readonly PreparedStep[]): SafeCall[] {
  return steps.flatMap((s) => [
    ...(s.approval === undefined
      ? []
      : [{ to: s.approval.to, value: s.approval.value, data: s.approval.data }]),
    { to: s.transaction.to, value: s.transaction.value, data: s.transaction.data },
  ])
}
