import type { QueryContext, Schema } from '@ballast/indexer'
import { parseDecimal } from '@ballast/sdk'
import type { DataPage } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import type { PastAction } from './checkLimits.js'
import type { ActionOutcome, KeeperDecision } from './KeeperDecision.js'

/** A proposed (or executed) action as the journal keeps it. */
export type JournalAction = {
  /** `<decision id>/<action id>`. */
  id: string
  decisionId: string
  actionId: string
  policy: string
  poolId: string
  at: number
  status: 'proposed' | 'executed' | 'superseded'
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
  /** Records a decision; its proposed actions become `proposed`, superseding older proposals of the same action. */
  record(decision: KeeperDecision): Promise<void>
  /** Proposed actions not yet seen executed (a pool's, or a policy's), oldest first. */
  pending(filter: { poolId?: string; policy?: string }): Promise<JournalAction[]>
  setStatus(id: string, status: JournalAction['status']): Promise<void>
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
        .where('status', 'in', ['proposed', 'executed'])
        .execute()
      return rows.map((r) => ({
        actionId: r.action_id,
        at: Number(r.at),
        movedUsd: parseDecimal(r.moved_usd, 18),
      }))
    },
    async record(decision) {
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
          if (a.status !== 'proposed') continue
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
              status: 'proposed',
              moved_usd: a.movedUsd ?? '0',
              body: JSON.stringify({ outcome: a, blocks: decision.blocks }),
            })
            .execute()
        }
      })
    },
    async pending(filter) {
      let q = db.selectFrom('keeper_actions').selectAll().where('status', '=', 'proposed')
      if (filter.poolId !== undefined) q = q.where('pool_id', '=', filter.poolId.toLowerCase())
      if (filter.policy !== undefined) q = q.where('policy', '=', filter.policy)
      return (await q.orderBy('at').orderBy('id').execute()).map(toAction)
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
      return {
        items: items.map((r) => JSON.parse(r.body) as KeeperDecision),
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
