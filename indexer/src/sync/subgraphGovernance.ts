import { timelockOperationRow } from '../governance/timelockOperationRow.js'
import type { FactRows } from '../storage/insertFactRows.js'
import { encodeUint256 } from '../storage/uint256.js'
import type { SubgraphClient } from './createSubgraphClient.js'
import { lower, ref, safeSeconds } from './subgraphValues.js'

type AcknowledgementEntity = {
  id: string
  pool: string
  memberId: string
  holder: string
  blockNumber: string
  logIndex: string
}
type OperationEntity = {
  id: string
  timelock: { id: string; registry: string } | null
  operationId: string
  kind: 'scheduled' | 'executed' | 'cancelled'
  index: string | null
  target: string | null
  data: string | null
  delay: string | null
  blockNumber: string
  logIndex: string
  transactionHash: string
}
type StatementEntity = {
  id: string
  contract: string
  pool: string
  attester: string
  liabilityRoot: string
  totalLiabilities: string
  adjustedReserves: string
  pooledRatioWad: string
  asOf: string
  chainIds: string[]
  blockNumbers: string[]
  blockNumber: string
  logIndex: string
  transactionHash: string
}

/** The governance entities of one step: holder acknowledgements, timelock operations, statements. */
export type GovernanceEntities = {
  acknowledgements: AcknowledgementEntity[]
  operations: OperationEntity[]
  statements: StatementEntity[]
}

/** A deployment older than the governance entities: nothing to read. */
export const noGovernance: Promise<GovernanceEntities> = Promise.resolve({
  acknowledgements: [],
  operations: [],
  statements: [],
})

/**
 * Reads a step's governance entities at the pinned block hash.
 *
 * @param client - The chain's subgraph client.
 * @param hash - The step's pinned block hash.
 * @param events - The step's `blockNumber_gt` filter.
 * @returns the entities
 */
export async function readGovernanceEntities(
  client: SubgraphClient,
  hash: string,
  events: Record<string, string>,
): Promise<GovernanceEntities> {
  const [acknowledgements, operations, statements] = await Promise.all([
    client.all<AcknowledgementEntity>(
      'HolderAcknowledgement',
      'pool memberId holder blockNumber logIndex',
      hash,
      events,
    ),
    client.all<OperationEntity>(
      'TimelockOperation',
      'timelock { id registry } operationId kind index target data delay blockNumber logIndex transactionHash',
      hash,
      events,
    ),
    client.all<StatementEntity>(
      'Attestation',
      'contract pool attester liabilityRoot totalLiabilities adjustedReserves pooledRatioWad asOf chainIds blockNumbers blockNumber logIndex transactionHash',
      hash,
      events,
    ),
  ])
  return { acknowledgements, operations, statements }
}

/**
 * The rows of a step's governance entities, as the RPC sync stores the same events: holder
 * acknowledgements and timelock operations of the followed registry only (the mappings keep only
 * calls on the timelock's registry, and every cancellation), statements of configured
 * attestation contracts only.
 *
 * @param rows - Where the step's rows go.
 * @param entities - The step's governance entities.
 * @param context - Whether the chain's registry is followed, its address, the attestation
 *   contracts, and the step's row key builder.
 */
export function pushGovernanceRows(
  rows: FactRows,
  entities: GovernanceEntities,
  context: {
    followed: boolean
    registry: string
    attestationContracts: ReadonlySet<string>
    base: (block: string, logIndex: string) => { chain_id: number; block_number: number; log_index: number }
  },
): void {
  const { followed, registry, base } = context
  for (const a of followed ? entities.acknowledgements : []) {
    rows.holder_acknowledgements.push({
      ...base(a.blockNumber, a.logIndex),
      registry,
      pool_id: lower(a.pool),
      member_id: lower(a.memberId),
      holder: lower(a.holder),
    })
  }
  for (const o of entities.operations) {
    if (!followed || lower(o.timelock?.registry ?? '') !== registry) continue
    const common = {
      ...base(o.blockNumber, o.logIndex),
      tx_hash: lower(o.transactionHash),
      timelock: lower(ref(o.timelock)),
      registry,
      operation_id: lower(o.operationId),
    }
    if (o.kind === 'cancelled') {
      rows.timelock_operations.push(timelockOperationRow({ ...common, kind: 'cancelled' }))
      continue
    }
    rows.timelock_operations.push(
      timelockOperationRow({
        ...common,
        kind: o.kind === 'scheduled' ? 'scheduled' : 'executed',
        index: Number(o.index),
        data: lower((o.data ?? '0x') as `0x${string}`),
        delay: o.kind === 'scheduled' ? safeSeconds(o.delay ?? '0') : null,
      }),
    )
  }
  for (const a of entities.statements) {
    if (!context.attestationContracts.has(lower(a.contract))) continue
    rows.attestations.push({
      ...base(a.blockNumber, a.logIndex),
      tx_hash: lower(a.transactionHash),
      contract: lower(a.contract),
      pool_id: lower(a.pool),
      attester: lower(a.attester),
      liability_root: lower(a.liabilityRoot),
      total_liabilities: encodeUint256(BigInt(a.totalLiabilities)),
      adjusted_reserves: encodeUint256(BigInt(a.adjustedReserves)),
      pooled_ratio_wad: encodeUint256(BigInt(a.pooledRatioWad)),
      as_of: safeSeconds(a.asOf),
      chain_ids: JSON.stringify(a.chainIds.map(String)),
      block_numbers: JSON.stringify(a.blockNumbers.map(String)),
    })
  }
}
