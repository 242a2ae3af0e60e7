import type { ExpressionBuilder } from 'kysely'
import type { Address, Hex } from 'viem'
import { IndexerError } from '../errors/IndexerError.js'
import type { Schema } from '../storage/schema.js'
import { decodeUint256 } from '../storage/uint256.js'
import type { At, Page, QueryContext } from './QueryContext.js'
import { type ResolvedAt, resolveAt, visibleAt } from './resolveAt.js'

/** An OFT transfer: its `OFTSent`, and its `OFTReceived` (same guid) once delivered. */
export type BridgeTransfer = {
  guid: Hex
  status: 'sent' | 'delivered'
  oft: Address
  /** Asset symbol of the OFT (config assets, or the liability token's symbol), when known. */
  asset: string | undefined
  srcChainId: number
  /** From the destination eid and the chains' `eid`; undefined for an unknown eid. */
  dstChainId: number | undefined
  dstEid: number
  fromAddress: Address
  toAddress: Address | undefined
  amountSent: bigint
  amountReceived: bigint
  sentBlock: number
  sentTxHash: Hex
  deliveredBlock: number | undefined
  deliveredTxHash: Hex | undefined
}

/** Maximum page size. */
export const MAX_PAGE_SIZE = 1_000

/**
 * Bridge transfers visible at a point, in a stable order (source chain, block, log index),
 * cursor-paginated. `status: 'sent'` lists the ones in flight (sent, no `OFTReceived` with the same
 * guid visible yet), `'delivered'` the received ones.
 *
 * @param ctx Database and config.
 * @param options `status`, `first` (1..1000, default 100), `after` (an `endCursor`), `at`.
 * @returns A page.
 * @example
 * ```ts
 * const page = await listBridgeTransfers(ctx, { status: 'sent', first: 50 })
 * const next = await listBridgeTransfers(ctx, { status: 'sent', first: 50, after: page.endCursor })
 * ```
 */
export async function listBridgeTransfers(
  ctx: QueryContext,
  options: {
    status?: 'sent' | 'delivered' | undefined
    first?: number | undefined
    after?: string | undefined
    at?: At | undefined
  } = {},
): Promise<Page<BridgeTransfer>> {
  const first = options.first ?? 100
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new IndexerError('Invalid page size.', {
      details: `first = ${first}; it must be an integer from 1 to ${MAX_PAGE_SIZE}.`,
    })
  }
  const at = await resolveAt(ctx, options.at, { blockTimes: false })
  const after = options.after === undefined ? undefined : decodeCursor(options.after)
  let query = ctx.db
    .selectFrom('oft_sent')
    .selectAll()
    .where((eb) => visibleAt(eb, at))
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('chain_id', '>', after[0]),
        eb.and([eb('chain_id', '=', after[0]), eb('block_number', '>', after[1])]),
        eb.and([
          eb('chain_id', '=', after[0]),
          eb('block_number', '=', after[1]),
          eb('log_index', '>', after[2]),
        ]),
      ]),
    )
  }
  if (options.status !== undefined) {
    const delivered = (eb: ExpressionBuilder<Schema, 'oft_sent'>) =>
      eb.exists(
        eb
          .selectFrom('oft_received as r')
          .select('r.guid')
          .whereRef('r.guid', '=', 'oft_sent.guid')
          .where((inner) => visibleAt(inner as never, at)),
      )
    query = query.where((eb) => (options.status === 'delivered' ? delivered(eb) : eb.not(delivered(eb))))
  }
  const rows = await query
    .orderBy('chain_id')
    .orderBy('block_number')
    .orderBy('log_index')
    .limit(first + 1)
    .execute()
  const page = rows.slice(0, first)
  const items = await toTransfers(ctx, at, page)
  const last = page[page.length - 1]
  return {
    items,
    endCursor:
      last === undefined ? undefined : encodeCursor([last.chain_id, last.block_number, last.log_index]),
    hasNextPage: rows.length > first,
  }
}

/**
 * Every transfer in flight at a point (sent, not yet received): counted once, on neither chain's
 * supply. A convenience over {@link listBridgeTransfers} without pagination.
 *
 * @param ctx Database and config.
 * @param filter `at`.
 * @returns The transfers in flight.
 * @example
 * ```ts
 * const inFlight = await getInFlightTransfers(ctx)
 * ```
 */
export async function getInFlightTransfers(
  ctx: QueryContext,
  filter: { at?: At | undefined } = {},
): Promise<BridgeTransfer[]> {
  const out: BridgeTransfer[] = []
  let after: string | undefined
  for (;;) {
    const page = await listBridgeTransfers(ctx, {
      status: 'sent',
      first: MAX_PAGE_SIZE,
      after,
      at: filter.at,
    })
    out.push(...page.items)
    if (!page.hasNextPage) return out
    after = page.endCursor
  }
}

async function toTransfers(
  ctx: QueryContext,
  at: ResolvedAt,
  rows: readonly {
    chain_id: number
    block_number: number
    tx_hash: string
    oft: string
    guid: string
    dst_eid: number
    from_address: string
    amount_sent: string
    amount_received: string
  }[],
): Promise<BridgeTransfer[]> {
  if (rows.length === 0) return []
  const received = await ctx.db
    .selectFrom('oft_received')
    .selectAll()
    .where(
      'guid',
      'in',
      rows.map((r) => r.guid),
    )
    .where((eb) => visibleAt(eb, at))
    .execute()
  const byGuid = new Map(received.map((r) => [r.guid, r]))
  const tokens = await ctx.db.selectFrom('tokens').select(['chain_id', 'address', 'symbol']).execute()
  return rows.map((r) => {
    const delivered = byGuid.get(r.guid)
    const dst = ctx.config.chains.find((c) => c.eid === r.dst_eid)
    const asset =
      ctx.config.assets.find((a) => a.ofts?.[r.chain_id] === r.oft)?.symbol ??
      tokens.find((t) => t.chain_id === r.chain_id && t.address === r.oft)?.symbol
    return {
      guid: r.guid as Hex,
      status: delivered === undefined ? 'sent' : 'delivered',
      oft: r.oft as Address,
      asset,
      srcChainId: r.chain_id,
      dstChainId: dst?.chainId,
      dstEid: r.dst_eid,
      fromAddress: r.from_address as Address,
      toAddress: delivered?.to_address as Address | undefined,
      amountSent: decodeUint256(r.amount_sent),
      amountReceived: decodeUint256(r.amount_received),
      sentBlock: r.block_number,
      sentTxHash: r.tx_hash as Hex,
      deliveredBlock: delivered?.block_number,
      deliveredTxHash: delivered?.tx_hash as Hex | undefined,
    }
  })
}

function encodeCursor(key: readonly [number, number, number]): string {
  return Buffer.from(key.join(':')).toString('base64url')
}

function decodeCursor(cursor: string): [number, number, number] {
  const parts = Buffer.from(cursor, 'base64url').toString().split(':').map(Number)
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p))) {
    throw new IndexerError('Invalid cursor.', {
      details: `after = ${JSON.stringify(cursor)} is not an endCursor of this list.`,
      metaMessages: ['Pass the endCursor of the previous page unchanged.'],
    })
  }
  return parts as [number, number, number]
}
