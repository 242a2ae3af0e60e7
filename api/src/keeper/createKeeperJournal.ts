import type { QueryContext, Schema } from '@ballast/indexer'
import { parseDecimal } from '@ballast/sdk'
import type { Address, Hex } from 'viem'
import type { DataPage } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import type { PastAction } from './checkLimits.js'
import type { ActionOutcome, KeeperDecision } from './KeeperDecision.js'

/** One transaction of an executed action (table `keeper_transactions`). */
export type KeeperTransaction = {
  action: string
  seq: number
  chainId: number
  sender: Address
  to: Address
  value: bigint
  data: Hex
  purpose: 'approve' | 'send' | 'transfer' | 'swap' | 'schedule'
  state: 'planned' | 'signed' | 'mined' | 'reverted' | 'delivered'
  nonce: number | undefined
  hash: Hex | undefined
  raw: Hex | undefined
  guid: Hex | undefined
  dstChainId: number | undefined
  dstOft: Address | undefined
  dstFromBlock: bigint | undefined
}

/** A transaction to execute, before it has a nonce. */
export type PlannedTransaction = Pick<
  KeeperTransaction,
  'chainId' | 'sender' | 'to' | 'value' | 'data' | 'purpose'
> & {
  dstChainId?: number | undefined
  dstOft?: Address | undefined
}

/** A proposed (or executed) action as the journal keeps it. */
export type JournalAction = {
  /** `<decision id>/<action id>`. */
  id: string
  decisionId: string
  actionId: string
  policy: string
  poolId: string
  at: number
  status: 'proposed' | 'executed' | 'superseded' | 'executing' | 'failed'
  outcome: ActionOutcome
  /** The blocks the decision read: a transfer sent after them executes the proposal. */
  blocks: KeeperDecision['blocks']
}

/**
 * The keeper's journal in the indexer's database (tables `keeper_decisions` and
 * `keeper_actions`): what it decided and what it proposed, so that a restarted keeper keeps its
 * cooldowns and daily limits and the API serves decisions and pending actions. The one place that
 * reads and writes those tables.
 */
export type KeeperJournal = {
  /** Decision sequence number last used by the policy (0 if none). */
  lastSequence(policy: string): Promise<number>
  /** Actions of the policy that moved (or would move) funds: what cooldowns and daily limits count. */
  pastActions(policy: string): Promise<PastAction[]>
  /**
   * Records a decision in one transaction: its proposed actions become `proposed` (superseding
   * older proposals of the same action), its executing actions `executing` with their planned
   * transactions: the intent is on disk before anything is sent.
   */
  record(
    decision: KeeperDecision,
    transactions?: ReadonlyMap<string, readonly PlannedTransaction[]>,
  ): Promise<void>
  /** Actions being executed (a policy's), oldest first, with their transactions in order. */
  executing(policy: string): Promise<(JournalAction & { transactions: KeeperTransaction[] })[]>
  /** Writes a transaction's new state (and what it learnt: nonce, hash, raw, guid, search block). */
  updateTransaction(
    action: string,
    seq: number,
    patch: Partial<Pick<KeeperTransaction, 'state' | 'nonce' | 'hash' | 'raw' | 'guid' | 'dstFromBlock'>>,
  ): Promise<void>
  /** Proposed actions not yet seen executed (a pool's, or a policy's), oldest first. */
  pending(filter: { poolId?: string; policy?: string }): Promise<JournalAction[]>
  setStatus(id: string, status: JournalAction['status']): Promise<void>
  /**
   * Changes whenever a decision is recorded or an action changes state: API answers that read
   * the journal are cached until it does (they are not a function of the indexed blocks).
   */
  version(): Promise<string>
  /** A pool's decisions, newest first. */
  decisions(query: {
    poolId: string
    first: number
    after: string | undefined
  }): Promise<DataPage<KeeperDecision>>
}

/**
 * Opens the journal on a database the indexer's migrations created (`ballast migrate`).
 *
 * @param db - The indexer database.
 * @returns the journal
 */
export function createKeeperJournal(db: QueryContext['db']): KeeperJournal {
  const toAction = (row: Schema['keeper_actions']): JournalAction => {
    const body = JSON.parse(row.body) as { outcome: ActionOutcome; blocks: KeeperDecision['blocks'] }
    return {
      id: row.id,
      decisionId: row.decision_id,
      actionId: row.action_id,
      policy: row.policy,
      poolId: row.pool_id,
      at: Number(row.at),
      status: row.status as JournalAction['status'],
      outcome: body.outcome,
      blocks: body.blocks,
    }
  }
  return {
    async lastSequence(policy) {
      const row = await db
        .selectFrom('keeper_decisions')
        .select((eb) => eb.fn.max('sequence').as('last'))
        .where('policy', '=', policy)
        .executeTakeFirst()
      return Number(row?.last ?? 0)
    },
    async pastActions(policy) {
      const rows = await db
        .selectFrom('keeper_actions')
        .select(['action_id', 'at', 'moved_usd'])
        .where('policy', '=', policy)
        .where('status', 'in', ['proposed', 'executed', 'executing'])
        .execute()
      return rows.map((r) => ({
        actionId: r.action_id,
        at: Number(r.at),
        movedUsd: parseDecimal(r.moved_usd, 18),
      }))
    },
    async record(decision, transactions) {
      await db.transaction().execute(async (tx) => {
        const sequence = Number(decision.id.slice(decision.id.lastIndexOf('-') + 1))
        await tx
          .insertInto('keeper_decisions')
          .values({
            id: decision.id,
            policy: decision.policy,
            pool_id: decision.poolId,
            sequence,
            at: decision.at,
            body: JSON.stringify(decision),
          })
          .execute()
        for (const a of decision.actions) {
          if (a.status !== 'proposed' && a.status !== 'executing') continue
          await tx
            .updateTable('keeper_actions')
            .set({ status: 'superseded' })
            .where('policy', '=', decision.policy)
            .where('action_id', '=', a.actionId)
            .where('status', '=', 'proposed')
            .execute()
          await tx
            .insertInto('keeper_actions')
            .values({
              id: `${decision.id}/${a.actionId}`,
              policy: decision.policy,
              pool_id: decision.poolId,
              decision_id: decision.id,
              action_id: a.actionId,
              at: decision.at,
              status: a.status,
              moved_usd: a.movedUsd ?? '0',
              body: JSON.stringify({ outcome: a, blocks: decision.blocks }),
            })
            .execute()
          for (const [seq, t] of (transactions?.get(a.actionId) ?? []).entries()) {
            await tx
              .insertInto('keeper_transactions')
              .values({
                action: `${decision.id}/${a.actionId}`,
                seq,
                chain_id: t.chainId,
                sender: t.sender.toLowerCase(),
                target: t.to.toLowerCase(),
                value: t.value.toString(),
                data: t.data,
                purpose: t.purpose,
                state: 'planned',
                nonce: null,
                hash: null,
                raw: null,
                guid: null,
                dst_chain_id: t.dstChainId ?? null,
                dst_oft: t.dstOft?.toLowerCase() ?? null,
                dst_from_block: null,
              })
              .execute()
          }
        }
      })
    },
    async pending(filter) {
      let q = db.selectFrom('keeper_actions').selectAll().where('status', '=', 'proposed')
      if (filter.poolId !== undefined) q = q.where('pool_id', '=', filter.poolId.toLowerCase())
      if (filter.policy !== undefined) q = q.where('policy', '=', filter.policy)
      return (await q.orderBy('at').orderBy('id').execute()).map(toAction)
    },
    async executing(policy) {
      const actions = (
        await db
          .selectFrom('keeper_actions')
          .selectAll()
          .where('policy', '=', policy)
          .where('status', '=', 'executing')
          .orderBy('at')
          .orderBy('id')
          .execute()
      ).map(toAction)
      const out = []
      for (const a of actions) {
        const rows = await db
          .selectFrom('keeper_transactions')
          .selectAll()
          .where('action', '=', a.id)
          .orderBy('seq')
          .execute()
        out.push({ ...a, transactions: rows.map(toTransaction) })
      }
      return out
    },
    async updateTransaction(action, seq, patch) {
      await db
        .updateTable('keeper_transactions')
        .set({
          ...(patch.state === undefined ? {} : { state: patch.state }),
          ...(patch.nonce === undefined ? {} : { nonce: patch.nonce }),
          ...(patch.hash === undefined ? {} : { hash: patch.hash }),
          ...(patch.raw === undefined ? {} : { raw: patch.raw }),
          ...(patch.guid === undefined ? {} : { guid: patch.guid }),
          ...(patch.dstFromBlock === undefined ? {} : { dst_from_block: Number(patch.dstFromBlock) }),
        })
        .where('action', '=', action)
        .where('seq', '=', seq)
        .execute()
    },
    async version() {
      const d = await db
        .selectFrom('keeper_decisions')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('last')])
        .executeTakeFirst()
      const a = await db
        .selectFrom('keeper_actions')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .orderBy('status')
        .execute()
      return `${d?.n ?? 0}:${d?.last ?? ''}:${a.map((r) => `${r.status}=${r.n}`).join(',')}`
    },
    async setStatus(id, status) {
      await db.updateTable('keeper_actions').set({ status }).where('id', '=', id).execute()
    },
    async decisions({ poolId, first, after }) {
      // Newest first by (at, sequence, id); the cursor is the last row's key.
      let q = db
        .selectFrom('keeper_decisions')
        .select(['id', 'at', 'sequence', 'body'])
        .where('pool_id', '=', poolId.toLowerCase())
      if (after !== undefined) {
        const [at, sequence, id] = decodeCursor(after)
        q = q.where((eb) =>
          eb.or([
            eb('at', '<', at),
            eb.and([eb('at', '=', at), eb('sequence', '<', sequence)]),
            eb.and([eb('at', '=', at), eb('sequence', '=', sequence), eb('id', '<', id)]),
          ]),
        )
      }
      const rows = await q
        .orderBy('at', 'desc')
        .orderBy('sequence', 'desc')
        .orderBy('id', 'desc')
        .limit(first + 1)
        .execute()
      const items = rows.slice(0, first)
      const last = items.at(-1)
      // A proposed or executing action moves on after its decision: show where it is now.
      const ids = items.map((r) => r.id)
      const now = new Map(
        ids.length === 0
          ? []
          : (
              await db
                .selectFrom('keeper_actions')
                .select(['id', 'status'])
                .where('decision_id', 'in', ids)
                .execute()
            ).map((a) => [a.id, a.status]),
      )
      return {
        items: items.map((r) => {
          const d = JSON.parse(r.body) as KeeperDecision
          return {
            ...d,
            actions: d.actions.map((a) => {
              const status = now.get(`${d.id}/${a.actionId}`)
              return status === undefined ? a : { ...a, status: status as ActionOutcome['status'] }
            }),
          }
        }),
        hasNextPage: rows.length > first,
        endCursor:
          last === undefined
            ? undefined
            : Buffer.from(JSON.stringify([Number(last.at), Number(last.sequence), last.id])).toString(
                'base64url',
              ),
      }
    },
  }
}

function toTransaction(r: Schema['keeper_transactions']): KeeperTransaction {
  return {
    action: r.action,
    seq: Number(r.seq),
    chainId: Number(r.chain_id),
    sender: r.sender as Address,
    to: r.target as Address,
    value: BigInt(r.value),
    data: r.data as Hex,
    purpose: r.purpose as KeeperTransaction['purpose'],
    state: r.state as KeeperTransaction['state'],
    nonce: r.nonce === null ? undefined : Number(r.nonce),
    hash: (r.hash ?? undefined) as Hex | undefined,
    raw: (r.raw ?? undefined) as Hex | undefined,
    guid: (r.guid ?? undefined) as Hex | undefined,
    dstChainId: r.dst_chain_id === null ? undefined : Number(r.dst_chain_id),
    dstOft: (r.dst_oft ?? undefined) as Address | undefined,
    dstFromBlock: r.dst_from_block === null ? undefined : BigInt(r.dst_from_block),
  }
}

function decodeCursor(after: string): [number, number, string] {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString()) as unknown
    if (
      Array.isArray(v) &&
      typeof v[0] === 'number' &&
      typeof v[1] === 'number' &&
      typeof v[2] === 'string'
    ) {
      return v as [number, number, string]
    }
  } catch {}
  throw new ApiError('Invalid cursor.', {
    details: `after = ${JSON.stringify(after)} is not a cursor of Pool.decisions.`,
    metaMessages: ['Pass the endCursor of the previous page.'],
  })
}
