import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { type Kysely, sql } from 'kysely'
import type { Dialect } from './createDatabase.js'
import type { Schema } from './schema.js'

/** A writer's claim on its chains: who it is and how long a claim lasts unless renewed. */
export type LeaseOptions = {
  /** This process's id (`leaseOwner()`); its database connections must carry it (`createDatabase({ leaseOwner })`). */
  owner: string
  /** How long a lease lasts without renewal, in ms (default 10,000): a standby takes over this long after the writer dies. */
  ttlMs?: number | undefined
  /** `true` (default): wait as a standby while another process holds a chain; `false`: fail at once. */
  standby?: boolean | undefined
}

/** Who holds a chain's lease, when another process does. */
export type LeaseHolder = { owner: string; expiresAt: number }

/** A fresh owner id for this process: host, pid and a random part (restarts never reuse one). */
export function leaseOwner(): string {
  const host = hostname()
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
  return `${host}:${process.pid}:${randomBytes(4).toString('hex')}`
}

/** Whether an owner id is safe to pass in a connection's startup options. */
export function isLeaseOwner(value: string): boolean {
  return /^[a-z0-9.:-]{1,200}$/.test(value)
}

/** The database clock in ms: one clock for every process, whatever their hosts' clocks say. */
function nowMs(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`
}

/**
 * Claims (or renews) the lease of a chain for `owner`: granted when nobody holds it, when
 * `owner` already does, or when the holder's lease has expired. One statement, so two
 * processes racing for a free chain cannot both win.
 *
 * @param db - the database.
 * @param dialect - its engine.
 * @param chainId - the chain.
 * @param owner - the claiming process.
 * @param ttlMs - how long the lease lasts from now.
 * @returns `undefined` when granted, else who holds it.
 * @example
 * ```ts
 * const holder = await claimLease(db, 'postgres', 1, leaseOwner(), 10_000)
 * ```
 */
export async function claimLease(
  db: Kysely<Schema>,
  dialect: Dialect,
  chainId: number,
  owner: string,
  ttlMs: number,
): Promise<LeaseHolder | undefined> {
  const now = nowMs(dialect)
  const granted = await sql<{ owner: string }>`
    insert into chain_leases (chain_id, owner, expires_at) values (${chainId}, ${owner}, ${now} + ${ttlMs})
    on conflict (chain_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
    where chain_leases.owner = excluded.owner or chain_leases.expires_at < ${now}
    returning owner`.execute(db)
  if (granted.rows.length > 0) return undefined
  const holder = await db
    .selectFrom('chain_leases')
    .select(['owner', 'expires_at'])
    .where('chain_id', '=', chainId)
    .executeTakeFirst()
  return { owner: holder?.owner ?? 'unknown', expiresAt: Number(holder?.expires_at ?? 0) }
}

/**
 * Gives a chain's lease up (a clean stop), so a standby takes over at once instead of after the
 * lease expires. Does nothing when `owner` does not hold it.
 *
 * @param db - the database.
 * @param chainId - the chain.
 * @param owner - the releasing process.
 * @returns when released.
 */
export async function releaseLease(db: Kysely<Schema>, chainId: number, owner: string): Promise<void> {
  await db.deleteFrom('chain_leases').where('chain_id', '=', chainId).where('owner', '=', owner).execute()
}

/** Whether an error (anywhere in its cause chain) is PostgreSQL refusing a write of a chain leased to another process. */
export function isLeaseRefusal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++)
    if (e.message.includes('ballast lease:')) return true
  return false
}
