import type { ResolvedIndexerConfig } from '@ballast/indexer'
import { createDatabase } from '@ballast/indexer'
import { evaluatePool, type PoolEvaluation } from '@ballast/sdk/math'
import {
  buildLiabilityTree,
  type LiabilityTree,
  liabilityLeaves,
  proveInclusion,
  type SolvencyStatement,
  serializeSolvencyStatement,
  verifySolvencyStatement,
} from '@ballast/sdk/proofs'
import { createIndexerDataSource } from '../dataSource/createIndexerDataSource.js'
import { ApiError } from '../errors/ApiError.js'

/** Options of {@link proveCommand}. */
export type ProveOptions = {
  config: ResolvedIndexerConfig
  poolId: string
  /** Prove this member's inclusion; without it, the statement carries no inclusion proof. */
  memberId?: string | undefined
  /** Unix seconds; default the latest indexed state. */
  at?: number | undefined
  /** Salt secret (>= 32 bytes, 0x hex) so the commitment can be rebuilt later. */
  secret: `0x${string}`
}

/**
 * `ballast prove`: reads a pool's state from the indexed database, commits to the members'
 * liabilities in a Merkle-sum tree and returns the sdk's solvency statement (root, adjusted
 * reserves at their blocks, and a member's inclusion proof) with its verdict.
 *
 * @param options - config, pool, member, time, secret.
 * @returns the statement JSON and whether it verifies.
 * @example
 * ```ts
 * const { json } = await proveCommand({ config, poolId, memberId, secret })
 * ```
 */
export async function proveCommand(options: ProveOptions): Promise<{ json: string; ok: boolean }> {
  const { statement } = await poolStatement(options)
  const verdict = verifySolvencyStatement(statement)
  return { json: JSON.stringify(serializeSolvencyStatement(statement), null, 2), ok: verdict.ok }
}

/**
 * A pool's solvency statement from the indexed database: its state at `at`, the members'
 * liabilities committed in a Merkle-sum tree, adjusted reserves at the state's blocks (used by
 * `ballast prove` and `ballast attest`).
 *
 * @param options - config, pool, member, time, secret.
 * @returns the statement, the tree and the evaluation.
 */
export async function poolStatement(options: ProveOptions): Promise<{
  statement: SolvencyStatement
  tree: LiabilityTree
  evaluation: PoolEvaluation
  timestamp: number
}> {
  const database = await createDatabase(options.config.database)
  try {
    const dataSource = createIndexerDataSource({ db: database.db, config: options.config })
    const [state] = await dataSource.loadPoolStates([
      { poolId: options.poolId, time: options.at === undefined ? {} : { at: options.at } },
    ])
    if (state === undefined) {
      throw new ApiError('Unknown pool.', {
        code: 'NOT_FOUND',
        details: `No pool has id ${options.poolId}; the config lists: ${options.config.pools.map((p) => p.id).join(', ')}.`,
      })
    }
    const evaluation = evaluatePool(state, { poolId: options.poolId })
    const tree = buildLiabilityTree(
      liabilityLeaves(
        evaluation.members.map((m) => ({ memberId: m.memberId, liability: m.liabilitiesUsd })),
        options.secret,
      ),
    )
    if (options.memberId !== undefined && !evaluation.members.some((m) => m.memberId === options.memberId)) {
      throw new ApiError('Unknown member.', {
        code: 'NOT_FOUND',
        details: `No member ${options.memberId} in pool ${options.poolId}; members: ${evaluation.members.map((m) => `${m.memberId} (${m.name})`).join(', ')}.`,
      })
    }
    const statement: SolvencyStatement = {
      poolId: evaluation.poolId,
      timestamp: state.timestamp,
      root: tree.root,
      reserves: {
        adjustedReservesUsd: evaluation.adjustedReservesUsd,
        blocks: state.blocks.map((b) => ({ chainId: b.chainId, blockNumber: b.blockNumber })),
      },
      ...(options.memberId === undefined ? {} : { proof: proveInclusion(tree, options.memberId) }),
    }
    return { statement, tree, evaluation, timestamp: state.timestamp }
  } finally {
    await database.destroy()
  }
}
