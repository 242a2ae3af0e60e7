import { type Kysely, PostgresAdapter, sql } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * Schema migrations keyed by date and time (`YYYY-MM-DDTHHMM-name`, sorted as text): kysely's Migrator runs them in key order
 * and records them in `kysely_migration`. The same statements run on SQLite and PostgreSQL:
 * `bigint` is INTEGER affinity in SQLite and int8 in PostgreSQL; uint256 is text in both.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-25T0800-initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sync_state')
        .addColumn('chain_id', 'bigint', (c) => c.primaryKey())
        .addColumn('block_number', 'bigint', (c) => c.notNull())
        .addColumn('block_hash', 'text', (c) => c.notNull())
        .addColumn('block_timestamp', 'bigint', (c) => c.notNull())
        .addColumn('finalized_block_number', 'bigint', (c) => c.notNull())
        .execute()

      const fact = (name: string) =>
        db.schema
          .createTable(name)
          .addColumn('chain_id', 'bigint', (c) => c.notNull())
          .addColumn('block_number', 'bigint', (c) => c.notNull())
          .addColumn('log_index', 'integer', (c) => c.notNull())

      await fact('blocks')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('parent_hash', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('blocks_pk', ['chain_id', 'block_number'])
        .execute()
      await db.schema.createIndex('blocks_time').on('blocks').columns(['chain_id', 'timestamp']).execute()

      await fact('pool_events')
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('min_ratio_bps', 'bigint', (c) => c.notNull())
        .addColumn('target_ratio_bps', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('pool_events_pk', ['chain_id', 'block_number', 'log_index'])
        .execute()

      await fact('member_events')
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('liability_token', 'text')
        .addColumn('holders', 'text')
        .addPrimaryKeyConstraint('member_events_pk', ['chain_id', 'block_number', 'log_index'])
        .execute()

      await fact('risk_parameters')
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('haircut_floor_bps', 'bigint', (c) => c.notNull())
        .addColumn('liquidation_threshold_bps', 'bigint', (c) => c.notNull())
        .addColumn('liquidation_horizon', 'bigint', (c) => c.notNull())
        .addColumn('effective_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_parameters_pk', ['chain_id', 'block_number', 'log_index'])
        .execute()

      await fact('balances')
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('balance', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('balances_pk', ['chain_id', 'token', 'holder', 'block_number', 'log_index'])
        .execute()

      await fact('supplies')
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('supply', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('supplies_pk', ['chain_id', 'token', 'block_number', 'log_index'])
        .execute()

      await fact('prices')
        .addColumn('feed', 'text', (c) => c.notNull())
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('round_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('prices_pk', ['chain_id', 'feed', 'block_number', 'log_index'])
        .execute()

      await fact('oft_sent')
        .addColumn('tx_hash', 'text', (c) => c.notNull())
        .addColumn('oft', 'text', (c) => c.notNull())
        .addColumn('guid', 'text', (c) => c.notNull())
        .addColumn('dst_eid', 'bigint', (c) => c.notNull())
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('amount_sent', 'text', (c) => c.notNull())
        .addColumn('amount_received', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oft_sent_pk', ['chain_id', 'block_number', 'log_index'])
        .execute()
      await db.schema.createIndex('oft_sent_guid').on('oft_sent').column('guid').execute()

      await fact('oft_received')
        .addColumn('tx_hash', 'text', (c) => c.notNull())
        .addColumn('oft', 'text', (c) => c.notNull())
        .addColumn('guid', 'text', (c) => c.notNull())
        .addColumn('src_eid', 'bigint', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('amount_received', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oft_received_pk', ['chain_id', 'block_number', 'log_index'])
        .execute()
      await db.schema.createIndex('oft_received_guid').on('oft_received').column('guid').execute()

      await fact('rpc_cache')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute()

      // The rollback's `where chain_id = ? and block_number > ?` on every fact table.
      for (const table of [
        'pool_events',
        'member_events',
        'risk_parameters',
        'balances',
        'supplies',
        'prices',
        'oft_sent',
        'oft_received',
        'rpc_cache',
      ]) {
        await db.schema
          .createIndex(`${table}_block`)
          .on(table)
          .columns(['chain_id', 'block_number'])
          .execute()
      }
    },
  },
  '2026-11-25T0845-heads-and-tokens': {
    async up(db: Kysely<unknown>) {
      // The head seen at the last step: `_meta` reports lag = head - indexed.
      await db.schema
        .alterTable('sync_state')
        .addColumn('head_block_number', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute()
      // ERC-20 metadata of discovered liability tokens (read with eth_call at discovery).
      await db.schema
        .createTable('tokens')
        .addColumn('chain_id', 'bigint', (c) => c.notNull())
        .addColumn('block_number', 'bigint', (c) => c.notNull())
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('symbol', 'text', (c) => c.notNull())
        .addColumn('decimals', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('tokens_pk', ['chain_id', 'address'])
        .execute()
    },
  },
  '2026-11-25T0905-drop-rpc-cache': {
    async up(db: Kysely<unknown>) {
      // The RPC cache lives in its own SQLite file (`rpcCache`), so that it survives a re-index.
      await db.schema.dropTable('rpc_cache').execute()
    },
  },
  '2026-11-25T0930-pool-snapshots': {
    async up(db: Kysely<unknown>) {
      // Pool states at regular times, derived from finalized facts of every chain (see
      // writeSnapshots): never touched by a reorg, so not part of the per-chain rollback.
      await db.schema
        .createTable('pool_snapshots')
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('pool_snapshots_pk', ['pool_id', 'timestamp'])
        .execute()
    },
  },
  '2026-12-02T1400-chain-leases': {
    async up(db: Kysely<unknown>) {
      // One writer per chain (see chainLease.ts). Databases without lease rows (one-process
      // deployments, tests) write as before: the check applies only to chains that have one.
      await db.schema
        .createTable('chain_leases')
        .addColumn('chain_id', 'bigint', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute()
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
      // Fencing: sync state advances in the same transaction as the data it covers, so refusing
      // the sync_state write of a process that is not the lease owner rolls back its whole step.
      // Each writer's connections carry their owner id in the `ballast.lease_owner` setting.
      await sql`
        create function ballast_check_lease() returns trigger language plpgsql as $$
        declare holder text;
        begin
          select owner into holder from chain_leases where chain_id = new.chain_id;
          if holder is not null and holder is distinct from current_setting('ballast.lease_owner', true) then
            raise exception 'ballast lease: chain % is leased to %, not to this writer (%)',
              new.chain_id, holder, coalesce(nullif(current_setting('ballast.lease_owner', true), ''), 'no lease');
          end if;
          return new;
        end $$`.execute(db)
      await sql`create trigger sync_state_lease before insert or update on sync_state
        for each row execute function ballast_check_lease()`.execute(db)
    },
  },
  '2026-12-02T1400-tracked-parts': {
    async up(db: Kysely<unknown>) {
      // The tracked set's fingerprint per chain: a config change catches up exactly what it adds.
      await db.schema
        .createTable('tracked_parts')
        .addColumn('chain_id', 'bigint', (c) => c.notNull())
        .addColumn('part', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tracked_parts_pk', ['chain_id', 'part'])
        .execute()
    },
  },
  '2026-12-02T1400-risk-parameters-per-pool': {
    async up(db: Kysely<unknown>) {
      // The production registry keeps risk parameters per pool and asset. Rows of the old
      // per-asset event get '' and so belong to no pool: re-index from the registry's deployment.
      await db.schema
        .alterTable('risk_parameters')
        .addColumn('pool_id', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
    },
  },
  '2026-12-02T1900-reads': {
    async up(db: Kysely<unknown>) {
      // Position values read at checkpoints (vault rates, rebasing and native balances, Aave
      // scaled balances and reserve indexes, pair reserves, feed aggregators).
      await db.schema
        .createTable('reads')
        .addColumn('chain_id', 'bigint', (c) => c.notNull())
        .addColumn('block_number', 'bigint', (c) => c.notNull())
        .addColumn('log_index', 'integer', (c) => c.notNull())
        .addColumn('contract', 'text', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reads_pk', [
          'chain_id',
          'contract',
          'holder',
          'field',
          'block_number',
          'log_index',
        ])
        .execute()
      await db.schema.createIndex('reads_block').on('reads').columns(['chain_id', 'block_number']).execute()
    },
  },
  '2026-12-02T2000-governance': {
    async up(db: Kysely<unknown>) {
      // Holder acknowledgements, the role timelocks' operations on the registry (pending changes)
      // and on-chain attestations (see schema.ts).
      const fact = (name: string) =>
        db.schema
          .createTable(name)
          .addColumn('chain_id', 'bigint', (c) => c.notNull())
          .addColumn('block_number', 'bigint', (c) => c.notNull())
          .addColumn('log_index', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${name}_pk`, ['chain_id', 'block_number', 'log_index'])
      await fact('holder_acknowledgements')
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .execute()
      await fact('timelock_operations')
        .addColumn('tx_hash', 'text', (c) => c.notNull())
        .addColumn('timelock', 'text', (c) => c.notNull())
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('operation_id', 'text', (c) => c.notNull())
        .addColumn('call_index', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('change_kind', 'text')
        .addColumn('pool_id', 'text')
        .addColumn('asset', 'text')
        .addColumn('member_id', 'text')
        .addColumn('change_values', 'text')
        .addColumn('delay', 'bigint')
        .execute()
      await db.schema
        .createIndex('timelock_operations_id')
        .on('timelock_operations')
        .columns(['chain_id', 'operation_id'])
        .execute()
      await fact('attestations')
        .addColumn('tx_hash', 'text', (c) => c.notNull())
        .addColumn('contract', 'text', (c) => c.notNull())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('attester', 'text', (c) => c.notNull())
        .addColumn('liability_root', 'text', (c) => c.notNull())
        .addColumn('total_liabilities', 'text', (c) => c.notNull())
        .addColumn('adjusted_reserves', 'text', (c) => c.notNull())
        .addColumn('pooled_ratio_wad', 'text', (c) => c.notNull())
        .addColumn('as_of', 'bigint', (c) => c.notNull())
        .addColumn('chain_ids', 'text', (c) => c.notNull())
        .addColumn('block_numbers', 'text', (c) => c.notNull())
        .execute()
      // Registries indexed before this migration lack their `HolderAcknowledged` history: forget
      // them as tracked parts, so the next start catches each registry up afresh from its start.
      await db
        .deleteFrom('tracked_parts' as never)
        .where(sql.ref('part'), 'like', 'registry:%')
        .execute()
    },
  },
  '2026-12-03T0700-keeper-journal': {
    async up(db: Kysely<unknown>) {
      // The keeper's journal (see schema.ts): its decisions, and each action it proposed or took
      // with its state, so that cooldowns, daily limits and pending actions survive a restart and
      // the API can serve them. Not chain facts: a rollback leaves them alone.
      await db.schema
        .createTable('keeper_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('keeper_decisions_pool')
        .on('keeper_decisions')
        .columns(['pool_id', 'at'])
        .execute()
      await db.schema
        .createTable('keeper_actions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('pool_id', 'text', (c) => c.notNull())
        .addColumn('decision_id', 'text', (c) => c.notNull())
        .addColumn('action_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('moved_usd', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('keeper_actions_policy')
        .on('keeper_actions')
        .columns(['policy', 'action_id', 'at'])
        .execute()
      // execute mode: each transaction of an action, written before it is sent (nonce, hash, raw)
      // and after each step, so a restarted keeper reconciles with the chain instead of resending.
      await db.schema
        .createTable('keeper_transactions')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('chain_id', 'bigint', (c) => c.notNull())
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('nonce', 'bigint')
        .addColumn('hash', 'text')
        .addColumn('raw', 'text')
        .addColumn('guid', 'text')
        .addColumn('dst_chain_id', 'bigint')
        .addColumn('dst_oft', 'text')
        .addColumn('dst_from_block', 'bigint')
        .addPrimaryKeyConstraint('keeper_transactions_pk', ['action', 'seq'])
        .execute()
    },
  },
}
