import { maxUint256 } from 'viem'
import type { AttestationRecord, TimelockChangeRecord } from '../dataSource/ApiDataSource.js'
import { ratio, usd } from './format.js'

/** `PendingChangeStatus` of a change at time `at` (unix seconds). */
export type PendingChangeStatus = 'PENDING' | 'READY' | 'EXECUTED' | 'CANCELLED'

/**
 * A scheduled change's status at `at`: settled if its execution or cancellation happened by
 * then, else READY once `at` reached the eta (OpenZeppelin's `isOperationReady`:
 * `timestamp <= block.timestamp`), else PENDING.
 *
 * @param change The change.
 * @param at The pool's time.
 * @returns Its status.
 * @example
 * ```ts
 * statusAt(change, change.eta) // 'READY' (unless executed by then)
 * ```
 */
export function statusAt(change: TimelockChangeRecord, at: number): PendingChangeStatus {
  if (change.executed !== undefined && change.executed.at <= at) return 'EXECUTED'
  if (change.cancelled !== undefined && change.cancelled.at <= at) return 'CANCELLED'
  return change.eta <= at ? 'READY' : 'PENDING'
}

/**
 * `Pool.pendingChanges`: the pool's changes scheduled by `at`, open ones only unless `all`.
 *
 * @param changes Every change of every pool.
 * @param poolId The pool (any case).
 * @param at The pool's time.
 * @param all Whether to keep executed and cancelled changes.
 * @returns GraphQL `PendingChange` objects, oldest first.
 */
export function pendingChangesOf(
  changes: readonly TimelockChangeRecord[],
  poolId: string,
  at: number,
  all: boolean,
) {
  const id = poolId.toLowerCase()
  return changes
    .filter((c) => c.poolId === id && c.scheduledAt <= at)
    .map((c) => ({ change: c, status: statusAt(c, at) }))
    .filter(({ status }) => all || status === 'PENDING' || status === 'READY')
    .map(({ change: c, status }) => {
      const settled = status === 'EXECUTED' ? c.executed : status === 'CANCELLED' ? c.cancelled : undefined
      return {
        chainId: c.chainId,
        timelock: c.timelock,
        operationId: c.operationId,
        index: c.index,
        kind: c.kind,
        asset: c.asset ?? null,
        assetAddress: c.assetAddress ?? null,
        memberId: c.memberId ?? null,
        values: c.values,
        eta: c.eta,
        scheduledAt: c.scheduledAt,
        scheduledBlock: c.scheduledBlock,
        scheduledTxHash: c.scheduledTxHash,
        status,
        settledBlock: settled?.block ?? null,
        settledTxHash: settled?.txHash ?? null,
      }
    })
}

/**
 * `Pool.attestation`: the pool's statement with the latest `asOf` among those posted by `at`
 * (on any chain's attestation contract).
 *
 * @param attestations Every posted statement.
 * @param poolId The pool.
 * @param at The pool's time.
 * @returns A GraphQL `PoolAttestation`, or null.
 */
export function attestationOf(attestations: readonly AttestationRecord[], poolId: string, at: number) {
  const id = poolId.toLowerCase()
  let latest: AttestationRecord | undefined
  for (const a of attestations)
    if (a.poolId === id && a.postedAt <= at && (latest === undefined || a.asOf > latest.asOf)) latest = a
  if (latest === undefined) return null
  return {
    chainId: latest.chainId,
    contract: latest.contract,
    attester: latest.attester,
    liabilityRoot: latest.liabilityRoot,
    reserveRatio: latest.pooledRatioWad === maxUint256 ? null : ratio(latest.pooledRatioWad),
    liabilitiesUsd: usd(latest.totalLiabilities),
    adjustedReservesUsd: usd(latest.adjustedReserves),
    asOf: latest.asOf,
    blocks: latest.blocks,
    postedAt: latest.postedAt,
    postedBlock: latest.postedBlock,
    postedTxHash: latest.postedTxHash,
  }
}
