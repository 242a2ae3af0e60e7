import { type Address, type Client, encodeFunctionData, erc20Abi, type Hex, pad } from 'viem'
import { readContract } from 'viem/actions'
import { oftAbi } from '../abi/oftAbi.js'
import { chainIdToEndpointId } from './chainIdToEndpointId.js'
import { type ExecutorOption, encodeType3Options } from './encodeType3Options.js'
import { type AllowanceLedger, plannedApproval } from './plannedApproval.js'
import { PlanExecutionError } from './plannerErrors.js'
import type { PlannedTransfer, RebalancePlan } from './RebalancePlan.js'

/** LayerZero OFT `SendParam` (IOFT.sol). */
export type SendParam = {
  dstEid: number
  /** Recipient as bytes32 (an EVM address left-padded with zeros). */
  to: Hex
  amountLD: bigint
  minAmountLD: bigint
  extraOptions: Hex
  composeMsg: Hex
  oftCmd: Hex
}

/** LayerZero `MessagingFee`: what `send` must pay. */
export type MessagingFee = { nativeFee: bigint; lzTokenFee: bigint }

/** A transaction to sign and send (viem's `sendTransaction` accepts it as is). */
export type TransactionRequest = {
  chainId: number
  from: Address
  to: Address
  data: Hex
  value: bigint
}

/** A planned transfer made executable. */
export type PreparedTransfer = {
  transfer: PlannedTransfer
  /** For bridge transfers: the OFT `SendParam` and the quoted fee. */
  sendParam?: SendParam | undefined
  fee?: MessagingFee | undefined
  /** ERC-20 approval the OFTAdapter needs first (absent when the allowance already covers it). */
  approval?: TransactionRequest | undefined
  /** `OFT.send(sendParam, fee, refund)` for a bridge, `ERC20.transfer` for an internal move. */
  transaction: TransactionRequest
}

/** Default executor options: 200k gas for `lzReceive` on the destination. */
export const defaultExecutorOptions: readonly ExecutorOption[] = [{ type: 'lzReceive', gas: 200_000n }]

/**
 * Builds an OFT `SendParam`: recipient as bytes32, `minAmountLD` from a slippage bound, type-3
 * executor options.
 *
 * `minAmountLD = amountLD * (10_000 - slippageBps) / 10_000` (rounded down): `send` reverts if
 * less would arrive. Planned amounts are multiples of the OFT's decimal conversion rate, so no dust
 * is removed and 0 bps is a valid bound.
 *
 * @param parameters - destination eid, recipient, amount, slippage bound in bps, executor options
 * @returns the SendParam
 * @throws {PlanExecutionError} on a slippage bound outside 0..10000 or a non-positive amount
 * @example
 * ```ts
 * buildSendParam({ dstEid: 30110, recipient: '0x00000000000000000000000000000000000000aa', amountLD: 10n ** 6n, slippageBps: 50 })
 * ```
 */
export function buildSendParam(parameters: {
  dstEid: number
  recipient: Address
  amountLD: bigint
  slippageBps?: number | undefined
  options?: readonly ExecutorOption[] | undefined
}): SendParam {
  const slippageBps = parameters.slippageBps ?? 0
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > 10_000) {
    throw new PlanExecutionError('Invalid slippage bound.', {
      details: `slippageBps is ${slippageBps}; expected an integer 0..10000.`,
      metaMessages: ['50 means the transfer may deliver down to 99.5% of the amount.'],
    })
  }
  if (parameters.amountLD <= 0n) {
    throw new PlanExecutionError('Invalid transfer amount.', {
      details: `amountLD is ${parameters.amountLD}; expected > 0.`,
    })
  }
  return {
    dstEid: parameters.dstEid,
    to: pad(parameters.recipient.toLowerCase() as Hex, { size: 32 }),
    amountLD: parameters.amountLD,
    minAmountLD: (parameters.amountLD * BigInt(10_000 - slippageBps)) / 10_000n,
    extraOptions: encodeType3Options(parameters.options ?? defaultExecutorOptions),
    composeMsg: '0x',
    oftCmd: '0x',
  }
}

/**
 * The exact fee of an OFT send: `quoteSend(sendParam, false)` on the source OFT (paid in native gas
 * token, not in ZRO).
 *
 * @param client - viem client of the source chain
 * @param oft - OFT or OFTAdapter address on the source chain
 * @param sendParam - from {@link buildSendParam}
 * @returns the messaging fee
 * @example
 * ```ts
 * const fee = await quoteSend(client, oft, sendParam)
 * ```
 */
export async function quoteSend(client: Client, oft: Address, sendParam: SendParam): Promise<MessagingFee> {
  const fee = await readContract(client, {
    address: oft,
    abi: oftAbi,
    functionName: 'quoteSend',
    args: [sendParam, false],
  })
  return { nativeFee: fee.nativeFee, lzTokenFee: fee.lzTokenFee }
}

/** Parameters of {@link prepareTransfers}. */
export type PrepareTransfersParameters = {
  plan: RebalancePlan
  /** viem clients by EVM chain id (reads only: quotes, allowances). */
  clients: Readonly<Record<number, Client>>
  /** OFT (or OFTAdapter on the home chain) per asset symbol and chain id. */
  ofts: Readonly<Record<string, Readonly<Record<number, Address>>>>
  /** Endpoint ids for chains outside the known table (devnets). */
  endpointIds?: Readonly<Record<number, number>> | undefined
  /** Slippage bound for `minAmountLD`, bps (default 0). */
  slippageBps?: number | undefined
  /** Executor options (default: 200k gas for lzReceive). */
  options?: readonly ExecutorOption[] | undefined
}

/**
 * Makes every transfer of a plan executable: for a bridge transfer the `SendParam`, the exact fee
 * from `quoteSend`, the ERC-20 approval an OFTAdapter needs (checked against the current
 * allowance the transfers before it leave) and the `OFT.send` transaction paying the quoted native fee, refunds to the sender;
 * for an internal transfer an `ERC20.transfer` of the underlying token. Transfers keep the plan's
 * order: run wave by wave, waiting for deliveries before a later wave.
 *
 * @param parameters - plan, clients, OFT addresses, endpoint ids, slippage, executor options
 * @returns one prepared transfer per planned transfer
 * @throws {PlanExecutionError} when an address, client, OFT or endpoint id is missing
 * @example
 * ```ts
 * const prepared = await prepareTransfers({ plan, clients: { 1: mainnet }, ofts: { USDC: { 1: adapter } } })
 * for (const p of prepared) {
 *   if (p.approval) await wallet.sendTransaction(p.approval)
 *   await wallet.sendTransaction(p.transaction)
 * }
 * ```
 */
export async function prepareTransfers(parameters: PrepareTransfersParameters): Promise<PreparedTransfer[]> {
  const ledger: AllowanceLedger = new Map()
  const prepared: PreparedTransfer[] = []
  for (const transfer of parameters.plan.transfers)
    prepared.push(await prepareTransfer(transfer, parameters, ledger))
  return prepared
}

/** What {@link prepareTransfer} needs: {@link PrepareTransfersParameters} without the plan. */
export type PrepareTransferContext = Omit<PrepareTransfersParameters, 'plan'>

/**
 * Makes one planned transfer executable (see {@link prepareTransfers}), the preparation shared by
 * `prepareTransfers` and `prepareSteps`. Transfers must be prepared in execution order: approvals
 * are checked against the allowance the earlier ones leave (`ledger`).
 *
 * @param transfer - the planned transfer
 * @param context - clients, OFT addresses, endpoint ids, slippage, executor options
 * @param ledger - allowances left by the steps prepared before, updated
 * @returns the prepared transfer
 * @throws {PlanExecutionError} when an address, client, OFT or endpoint id is missing
 */
export async function prepareTransfer(
  transfer: PlannedTransfer,
  context: PrepareTransferContext,
  ledger: AllowanceLedger,
): Promise<PreparedTransfer> {
  const where = `transfer ${transfer.routeId} (${transfer.asset})`
  const from = transfer.fromAddress
  const recipient = transfer.toAddress
  if (from === undefined || recipient === undefined) {
    throw new PlanExecutionError('Transfer without holder address.', {
      details: `${where} has no ${from === undefined ? 'sender' : 'recipient'} address.`,
      metaMessages: ['Set PlannerNode.address on the nodes of the plan.'],
    })
  }
  const chainId = transfer.from.chainId
  const client = clientOf(context.clients, chainId, where)
  const oft = context.ofts[transfer.asset]?.[chainId]
  if (oft === undefined) {
    throw new PlanExecutionError(`No OFT for ${transfer.asset} on chain ${chainId}.`, {
      details: `${where} needs the OFT or OFTAdapter of ${transfer.asset} on chain ${chainId}.`,
      metaMessages: [`Pass ofts: { ${transfer.asset}: { ${chainId}: '0x...' } }.`],
    })
  }
  const token = await readContract(client, { address: oft, abi: oftAbi, functionName: 'token' })
  if (transfer.kind === 'internal') {
    return {
      transfer,
      transaction: {
        chainId,
        from,
        to: token,
        data: encodeFunctionData({
          abi: erc20Abi,
          functionName: 'transfer',
          args: [recipient, transfer.amount],
        }),
        value: 0n,
      },
    }
  }
  const sendParam = buildSendParam({
    dstEid: chainIdToEndpointId(transfer.to.chainId, context.endpointIds),
    recipient,
    amountLD: transfer.amount,
    slippageBps: context.slippageBps,
    options: context.options,
  })
  const fee = await quoteSend(client, oft, sendParam)
  const approvalRequired = await readContract(client, {
    address: oft,
    abi: oftAbi,
    functionName: 'approvalRequired',
  })
  const approval = approvalRequired
    ? await plannedApproval(client, ledger, {
        chainId,
        token,
        owner: from,
        spender: oft,
        amount: transfer.amount,
      })
    : undefined
  return {
    transfer,
    sendParam,
    fee,
    ...(approval === undefined ? {} : { approval }),
    transaction: {
      chainId,
      from,
      to: oft,
      data: encodeFunctionData({ abi: oftAbi, functionName: 'send', args: [sendParam, fee, from] }),
      value: fee.nativeFee,
    },
  }
}

/**
 * The client of a chain a step starts on.
 *
 * @throws {PlanExecutionError} when there is none
 */
export function clientOf(clients: Readonly<Record<number, Client>>, chainId: number, where: string): Client {
  const client = clients[chainId]
  if (client === undefined) {
    throw new PlanExecutionError(`No client for chain ${chainId}.`, {
      details: `${where} starts on chain ${chainId}.`,
      metaMessages: [`Pass clients: { ${chainId}: createPublicClient(...) }.`],
    })
  }
  return client
}
