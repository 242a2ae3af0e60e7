import { decodeUint256, type QueryContext } from '@ballast/indexer'
import type { AttestationRecord, HolderAcknowledgementRecord, TimelockChangeRecord } from './ApiDataSource.js'

/**
 * Plain reads of the indexer's governance tables (`timelock_operations`, `holder_acknowledgements`,
 * `attestations`), like `riskParameterHistory`: the query layer answers "in force at a point",
 * these are histories the resolvers filter by the pool's time.
 */

type Hex = `0x${string}`

/**
 * Scheduled registry changes with their outcome: each `scheduled` row is matched with the first
 * `executed` or `cancelled` row of the same operation on the same timelock after it (an id can be
 * scheduled again once cancelled). Times come from the `blocks` table (every block with a fact).
 *
 * @param ctx The indexer's database and config.
 * @param symbolOf Asset symbol by `chainId:address`.
 * @returns Changes, oldest first.
 */
export async function readTimelockChanges(
  ctx: QueryContext,
  symbolOf: ReadonlyMap<string, string>,
): Promise<TimelockChangeRecord[]> {
  const rows = await ctx.db
    .selectFrom('timelock_operations as o')
    .leftJoin('blocks as b', (j) =>
      j.onRef('b.chain_id', '=', 'o.chain_id').onRef('b.block_number', '=', 'o.block_number'),
    )
    .selectAll('o')
    .select('b.timestamp')
    .orderBy('o.chain_id')
    .orderBy('o.block_number')
    .orderBy('o.log_index')
    .execute()
  const out: TimelockChangeRecord[] = []
  /** Open (not yet settled) changes by chain, timelock and operation id. */
  const open = new Map<string, TimelockChangeRecord[]>()
  for (const r of rows) {
    const key = `${r.chain_id}:${r.timelock}:${r.operation_id}`
    const at = Number(r.timestamp ?? 0)
    const event = { block: BigInt(r.block_number), txHash: r.tx_hash as Hex, at }
    if (r.kind === 'scheduled') {
      const values = Object.entries(JSON.parse(r.change_values ?? '{}') as Record<string, string | string[]>)
      const change: TimelockChangeRecord = {
        chainId: Number(r.chain_id),
        timelock: r.timelock as Hex,
        operationId: r.operation_id as Hex,
        index: r.call_index,
        kind: r.change_kind ?? 'other',
        poolId: r.pool_id ?? undefined,
        asset: r.asset === null ? undefined : (symbolOf.get(`${r.chain_id}:${r.asset}`) ?? r.asset),
        assetAddress: (r.asset ?? undefined) as Hex | undefined,
        memberId: (r.member_id ?? undefined) as Hex | undefined,
        values: values.map(([name, v]) => ({ name, value: Array.isArray(v) ? v.join(',') : v })),
        scheduledBlock: event.block,
        scheduledTxHash: event.txHash,
        scheduledAt: at,
        eta: at + Number(r.delay ?? 0),
        executed: undefined,
        cancelled: undefined,
      }
      out.push(change)
      open.set(key, [...(open.get(key) ?? []), change])
      continue
    }
    const pending = open.get(key) ?? []
    if (r.kind === 'cancelled') {
      for (const c of pending) c.cancelled = event
      open.delete(key)
    } else {
      // CallExecuted per call of the batch: settle the call of that index.
      for (const c of pending) if (c.index === r.call_index) c.executed = event
      const left = pending.filter((c) => c.executed === undefined)
      if (left.length > 0) open.set(key, left)
      else open.delete(key)
    }
  }
  return out
}

/**
 * Every member holder with its acknowledgement status: registry members' holders from their latest
 * `MemberJoined` per chain (still members: no later `MemberLeft`), static members' from the config.
 *
 * @param ctx The indexer's database and config.
 * @returns Holders by chain, pool, member.
 */
export async function readHolderAcknowledgements(ctx: QueryContext): Promise<HolderAcknowledgementRecord[]> {
  const [events, acks] = await Promise.all([
    ctx.db
      .selectFrom('member_events')
      .select(['chain_id', 'pool_id', 'member_id', 'kind', 'holders'])
      .orderBy('chain_id')
      .orderBy('block_number')
      .orderBy('log_index')
      .execute(),
    ctx.db
      .selectFrom('holder_acknowledgements')
      .select(['chain_id', 'pool_id', 'member_id', 'holder', 'block_number'])
      .orderBy('block_number')
      .execute(),
  ])
  const key = (chainId: number, poolId: string, memberId: string) =>
    `${chainId}:${poolId.toLowerCase()}:${memberId.toLowerCase()}`
  const holders = new Map<string, readonly Hex[]>()
  for (const pool of ctx.config.pools)
    for (const member of pool.members ?? [])
      for (const [chainId, list] of Object.entries(member.holders))
        holders.set(
          key(Number(chainId), pool.id, member.id),
          list.map((h) => h.toLowerCase() as Hex),
        )
  for (const e of events) {
    const k = key(Number(e.chain_id), e.pool_id, e.member_id)
    if (e.kind === 'left') holders.delete(k)
    else holders.set(k, JSON.parse(e.holders ?? '[]') as Hex[])
  }
  const acknowledgedAt = new Map<string, bigint>()
  for (const a of acks) {
    const k = `${key(Number(a.chain_id), a.pool_id, a.member_id)}:${a.holder}`
    if (!acknowledgedAt.has(k)) acknowledgedAt.set(k, BigInt(a.block_number))
  }
  const out: HolderAcknowledgementRecord[] = []
  for (const [k, list] of holders) {
    const [chainId, poolId, memberId] = k.split(':') as [string, string, string]
    for (const holder of list) {
      const block = acknowledgedAt.get(`${k}:${holder}`)
      out.push({
        chainId: Number(chainId),
        poolId,
        memberId,
        holder,
        acknowledged: block !== undefined,
        block,
      })
    }
  }
  return out
}

/** Every posted attestation, oldest first (by posting block per chain). */
export async function readAttestations(ctx: QueryContext): Promise<AttestationRecord[]> {
  const rows = await ctx.db
    .selectFrom('attestations as a')
    .leftJoin('blocks as b', (j) =>
      j.onRef('b.chain_id', '=', 'a.chain_id').onRef('b.block_number', '=', 'a.block_number'),
    )
    .selectAll('a')
    .select('b.timestamp')
    .orderBy('a.chain_id')
    .orderBy('a.block_number')
    .orderBy('a.log_index')
    .execute()
  return rows.map((r) => {
    const chainIds = JSON.parse(r.chain_ids) as string[]
    const numbers = JSON.parse(r.block_numbers) as string[]
    return {
      chainId: Number(r.chain_id),
      contract: r.contract as Hex,
      poolId: r.pool_id,
      attester: r.attester as Hex,
      liabilityRoot: r.liability_root as Hex,
      totalLiabilities: decodeUint256(r.total_liabilities),
      adjustedReserves: decodeUint256(r.adjusted_reserves),
      pooledRatioWad: decodeUint256(r.pooled_ratio_wad),
      asOf: Number(r.as_of),
      blocks: chainIds.map((id, i) => ({ chainId: Number(id), block: BigInt(numbers[i] ?? '0') })),
      postedBlock: BigInt(r.block_number),
      postedTxHash: r.tx_hash as Hex,
      postedAt: Number(r.timestamp ?? 0),
    }
  })
}
