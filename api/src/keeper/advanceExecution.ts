import { oftAbi } from '@ballast/sdk'
import {
  type Client,
  keccak256,
  type LocalAccount,
  parseEventLogs,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from 'viem'
import {
  estimateFeesPerGas,
  estimateGas,
  getBlockNumber,
  getLogs,
  getTransaction,
  getTransactionCount,
  getTransactionReceipt,
  sendRawTransaction,
  waitForTransactionReceipt,
} from 'viem/actions'
import { ApiError } from '../errors/ApiError.js'
import type { JournalAction, KeeperJournal, KeeperTransaction } from './createKeeperJournal.js'

const oftReceived = oftAbi.find((x) => x.type === 'event' && x.name === 'OFTReceived')!

/** Where an executing action stands after one pass. */
export type ExecutionProgress = 'executed' | 'failed' | 'waiting-for-delivery'

/**
 * Takes an executing action as far as it can go now, journaling every step before it has an
 * effect, so that a keeper killed at any point and started again sends nothing twice:
 *
 * 1. `planned`: the transaction is signed at the account's pending nonce and written (nonce, hash,
 *    raw transaction) as `signed` before it is broadcast;
 * 2. `signed`: reconciled with the chain: mined (its receipt), still pending (waited for),
 *    dropped with its nonce free (the same signed bytes are broadcast again: one hash, mined at
 *    most once), or its nonce taken by another transaction, which cannot be reconciled: the
 *    keeper stops with a clear message rather than guess;
 * 3. `mined`: an OFT send's guid (from `OFTSent`) is written; `delivered` once `OFTReceived` with
 *    that guid is on the destination, searched from the destination's head when the send was
 *    signed (no delivery can be older).
 *
 * A reverted transaction fails the action (nothing after it is sent).
 *
 * @param action - The action and its journaled transactions.
 * @param context - Journal, clients by chain id, the account, receipt polling interval.
 * @returns executed, failed or waiting for delivery
 * @throws {ApiError} when a transaction cannot be reconciled with its chain
 */
export async function advanceExecution(
  action: JournalAction & { transactions: KeeperTransaction[] },
  context: {
    journal: KeeperJournal
    clients: Readonly<Record<number, Client>>
    account: LocalAccount
    pollingInterval?: number | undefined
    log: (line: string) => void
  },
): Promise<ExecutionProgress> {
  const { journal, account } = context
  const pollingInterval = context.pollingInterval ?? 500
  for (const t of action.transactions) {
    const client = context.clients[t.chainId]!
    if (t.state === 'reverted') return 'failed'
    if (t.state === 'planned') {
      const nonce = await getTransactionCount(client, { address: account.address, blockTag: 'pending' })
      const gas = await estimateGas(client, { account, to: t.to, data: t.data, value: t.value })
      const fees = await estimateFeesPerGas(client)
      const raw = await account.signTransaction({
        chainId: t.chainId,
        type: 'eip1559',
        nonce,
        gas: (gas * 12n) / 10n,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        to: t.to,
        data: t.data,
        value: t.value,
      })
      const hash = keccak256(raw)
      // The delivery can only come after the send: search the destination from its head now.
      const dstFromBlock =
        t.purpose === 'send'
          ? await getBlockNumber(context.clients[t.dstChainId!]!, { cacheTime: 0 })
          : undefined
      await journal.updateTransaction(action.id, t.seq, { state: 'signed', nonce, hash, raw, dstFromBlock })
      Object.assign(t, { state: 'signed', nonce, hash, raw, dstFromBlock })
      await broadcast(client, raw)
      context.log(`keeper ${action.id}: sent ${t.purpose} ${hash} on chain ${t.chainId} (nonce ${nonce})`)
    }
    if (t.state === 'signed') {
      const receipt = await reconcile(client, t, account.address, pollingInterval)
      if (receipt.status !== 'success') {
        await journal.updateTransaction(action.id, t.seq, { state: 'reverted' })
        await journal.setStatus(action.id, 'failed')
        context.log(
          `keeper ${action.id}: ${t.purpose} ${t.hash} reverted on chain ${t.chainId}; the action failed`,
        )
        return 'failed'
      }
      const guid =
        t.purpose === 'send'
          ? parseEventLogs({ abi: oftAbi, logs: receipt.logs, eventName: 'OFTSent' })[0]?.args.guid
          : undefined
      await journal.updateTransaction(action.id, t.seq, { state: 'mined', guid })
      Object.assign(t, { state: 'mined', guid })
    }
  }
  for (const t of action.transactions) {
    if (t.purpose !== 'send' || t.state !== 'mined') continue
    const logs = await getLogs(context.clients[t.dstChainId!]!, {
      address: t.dstOft!,
      event: oftReceived,
      args: { guid: t.guid },
      fromBlock: t.dstFromBlock,
    })
    if (logs.length === 0) return 'waiting-for-delivery'
    await journal.updateTransaction(action.id, t.seq, { state: 'delivered' })
    t.state = 'delivered'
  }
  await journal.setStatus(action.id, 'executed')
  context.log(`keeper ${action.id}: executed (every transaction mined, every transfer delivered)`)
  return 'executed'
}

/** Broadcasts signed bytes; a node that already has them is not an error. */
async function broadcast(client: Client, raw: `0x${string}`): Promise<void> {
  try {
    await sendRawTransaction(client, { serializedTransaction: raw })
  } catch (error) {
    const text = String((error as Error).message).toLowerCase()
    if (
      !text.includes('already known') &&
      !text.includes('already imported') &&
      !text.includes('nonce too low')
    )
      throw error
  }
}

async function reconcile(
  client: Client,
  t: KeeperTransaction,
  sender: `0x${string}`,
  pollingInterval: number,
) {
  const hash = t.hash!
  const mined = await receiptOf(client, hash)
  if (mined !== undefined) return mined
  if ((await pendingTransaction(client, hash)) === undefined) {
    const used = await getTransactionCount(client, { address: sender, blockTag: 'latest' })
    if (used > t.nonce!) {
      throw new ApiError('The keeper cannot reconcile a transaction with its chain.', {
        details: `Transaction ${hash} (${t.purpose}, nonce ${t.nonce} of ${t.sender} on chain ${t.chainId}) of action ${t.action} was never mined, and the nonce is used by another transaction.`,
        metaMessages: [
          'Something else sent from the keeper account. Check its history on the chain, then mark the action failed in the journal (keeper_actions.status) before restarting.',
        ],
      })
    }
    // Dropped from the mempool with its nonce still free: the same bytes again (same hash).
    await broadcast(client, t.raw!)
  }
  return waitForTransactionReceipt(client, { hash, pollingInterval, timeout: 600_000 })
}

async function receiptOf(client: Client, hash: `0x${string}`) {
  try {
    return await getTransactionReceipt(client, { hash })
  } catch (error) {
    if (error instanceof TransactionReceiptNotFoundError) return undefined
    throw error
  }
}

async function pendingTransaction(client: Client, hash: `0x${string}`) {
  try {
    return await getTransaction(client, { hash })
  } catch (error) {
    if (error instanceof TransactionNotFoundError) return undefined
    throw error
  }
}
