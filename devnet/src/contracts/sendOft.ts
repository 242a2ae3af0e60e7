import { type Address, erc20Abi, pad, type TransactionReceipt } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { read, write } from './sendTx.js'

export type SendOftParameters = {
  chain: DevnetChainHandle
  /** The OFT or OFTAdapter on the source chain. */
  oft: Address
  /** Sender (an unlocked dev account holding the tokens). */
  from: Address
  dstEid: number
  to: Address
  /** Amount in local decimals; must be a multiple of the OFT's dust unit (10^(decimals-6)). */
  amount: bigint
}

/**
 * Bridges tokens with LayerZero V2 `OFT.send`: approves the adapter when the OFT wraps an ERC-20,
 * quotes the fee, and sends with empty options (the devnet's SimpleMessageLib needs none).
 *
 * @param parameters Source chain, OFT, sender, destination and amount.
 * @returns The source-chain receipt (its logs hold `OFTSent` and the endpoint's `PacketSent`).
 * @example
 * ```ts
 * await sendOft({ chain: alpha, oft: usdcAdapter, from: holder, dstEid: 40102, to: holder, amount: 1_000_000n })
 * ```
 */
export async function sendOft(parameters: SendOftParameters): Promise<TransactionReceipt> {
  const { chain, oft, from, dstEid, to, amount } = parameters
  const needsApproval = await read<boolean>(chain, oft, 'DevnetOFTAdapter', 'approvalRequired')
  if (needsApproval) {
    const token = await read<Address>(chain, oft, 'DevnetOFTAdapter', 'token')
    await write(chain, from, token, erc20Abi, 'approve', [oft, amount])
  }
  const sendParam = {
    dstEid,
    to: pad(to),
    amountLD: amount,
    minAmountLD: amount,
    extraOptions: '0x',
    composeMsg: '0x',
    oftCmd: '0x',
  } as const
  const fee = await read<{ nativeFee: bigint; lzTokenFee: bigint }>(chain, oft, 'DevnetOFT', 'quoteSend', [
    sendParam,
    false,
  ])
  return write(chain, from, oft, 'DevnetOFT', 'send', [sendParam, fee, from], fee.nativeFee)
}
