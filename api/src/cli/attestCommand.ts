import { contractArtifact } from '@ballast/contracts'
import type { ResolvedIndexerConfig } from '@ballast/indexer'
import {
  type Address,
  BaseError,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  maxUint256,
} from 'viem'
import { ApiError } from '../errors/ApiError.js'
import { deployerAccount } from './deployerAccount.js'
import { poolStatement } from './proveCommand.js'

/** Options of {@link attestCommand}. */
export type AttestOptions = {
  config: ResolvedIndexerConfig
  poolId: string
  /** The chain the `ReserveAttestation` lives on, by name (for messages) and RPC URL. */
  chain: string
  rpc: string
  attestation: Address
  secret: `0x${string}`
  keystore?: string | undefined
  env: NodeJS.ProcessEnv
}

/** What was posted. */
export type AttestResult = {
  hash: Hex
  root: Hex
  totalLiabilities: bigint
  adjustedReserves: bigint
  pooledRatioWad: bigint
  asOf: number
}

const WAD = 10n ** 18n

/**
 * `ballast attest`: builds the pool's current solvency statement from the indexed database (as
 * `ballast prove` does) and posts it on the `ReserveAttestation`: the Merkle-sum root, its total
 * (liabilities, USD 18 decimals), the adjusted reserves, the pooled ratio
 * `adjustedReserves * 1e18 / totalLiabilities` and the block read on every chain. The account is
 * an attester's, from the environment or a keystore.
 *
 * @param options - config, pool, chain, attestation address, secret, account.
 * @returns the posted statement and the transaction.
 * @throws ApiError when the statement is newer than the chain's head or the post reverts.
 */
export async function attestCommand(options: AttestOptions): Promise<AttestResult> {
  const account = await deployerAccount({ keystore: options.keystore, env: options.env })
  const { statement, tree, evaluation, timestamp } = await poolStatement(options)
  const totalLiabilities = tree.root.total
  const adjustedReserves = evaluation.adjustedReservesUsd
  const pooledRatioWad = totalLiabilities === 0n ? maxUint256 : (adjustedReserves * WAD) / totalLiabilities
  const transport = http(options.rpc, { retryCount: 1 })
  const chainId = await createPublicClient({ transport }).getChainId()
  const chain = defineChain({
    id: chainId,
    name: options.chain,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpc] } },
  })
  const client = createPublicClient({ chain, transport, cacheTime: 0 })
  const head = await client.getBlock()
  if (BigInt(timestamp) > head.timestamp) {
    throw new ApiError('The statement is newer than the attestation chain.', {
      details: `${options.chain}'s head is at ${head.timestamp}; the indexed state is at ${timestamp}.`,
      metaMessages: ['Retry once that chain has a block at or after the state time.'],
    })
  }
  const data = encodeFunctionData({
    abi: contractArtifact('ReserveAttestation').abi,
    functionName: 'post',
    args: [
      statement.poolId,
      tree.root.hash,
      totalLiabilities,
      adjustedReserves,
      pooledRatioWad,
      BigInt(timestamp),
      statement.reserves.blocks.map((b) => BigInt(b.chainId)),
      statement.reserves.blocks.map((b) => b.blockNumber),
    ],
  })
  const wallet = createWalletClient({ chain, transport, account })
  let hash: Hex
  try {
    await client.call({ account, to: options.attestation, data })
    hash = await wallet.sendTransaction({ to: options.attestation, data })
  } catch (cause) {
    throw new ApiError('The attestation was refused.', {
      details: `${options.chain}: ${cause instanceof BaseError ? cause.shortMessage : String(cause)}`,
      metaMessages: [
        'Check that the account holds ATTESTER_ROLE and that the statement is newer than the last.',
      ],
      cause,
    })
  }
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 })
  if (receipt.status !== 'success') {
    throw new ApiError('The attestation transaction reverted.', { details: `${options.chain}: tx ${hash}` })
  }
  return { hash, root: tree.root.hash, totalLiabilities, adjustedReserves, pooledRatioWad, asOf: timestamp }
}
