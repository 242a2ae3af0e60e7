import pg from 'pg'
import type { SyncEvent } from '../sync/createSyncLoop.js'
import type { DatabaseTarget } from './createDatabase.js'

/** What a writer stored: new blocks on a chain, or a rollback of it to `block`. */
export type ChangeEvent = { type: 'blocks' | 'rollback'; chainId: number; block: number }

/**
 * Tells every process on one database what the writer changed: PostgreSQL `LISTEN`/`NOTIFY` on a
 * channel per schema, so API replicas invalidate their caches and push their subscriptions the
 * moment an indexer process commits, and a rollback done by another process is seen. On SQLite
 * (one process) it is an in-process fan-out.
 */
export type ChangeFeed = {
  /** Announces a change (after its transaction committed). Never throws: a lost notice only delays readers to their next poll. */
  publish: (event: ChangeEvent) => void
  /** Calls `listener` for every change announced by any process (this one included); returns the unsubscribe. */
  subscribe: (listener: (event: ChangeEvent) => void) => () => void
  /** Stops listening and closes the connection. */
  close: () => Promise<void>
}

/** The change a sync event announces to other processes (none for a discovery: its blocks follow). */
export function changeOfSyncEvent(event: SyncEvent): ChangeEvent | undefined {
  if (event.type === 'blocks') return { type: 'blocks', chainId: event.chainId, block: event.to }
  if (event.type === 'reorg') return { type: 'rollback', chainId: event.chainId, block: event.forkBlock }
  return undefined
}

/** PostgreSQL channel names are identifiers: one per schema so deployments sharing a database stay apart. */
export function changeChannel(schema: string | undefined): string {
  return `ballast_changes_${schema ?? 'default'}`
}

/**
 * Opens the change feed of a database. On PostgreSQL it holds one dedicated connection for
 * `LISTEN` (reconnecting after a drop, which readers bridge by polling) and publishes with
 * `pg_notify` on another short-lived one per burst.
 *
 * @param target - the database (a config's `database`).
 * @param onError - told about connection failures of the feed (logging); the feed keeps retrying.
 * @returns the feed; `close()` when done.
 * @example
 * ```ts
 * const feed = await createChangeFeed(config.database)
 * const stop = feed.subscribe((event) => console.log(event))
 * feed.publish({ type: 'blocks', chainId: 1, block: 100 })
 * ```
 */
export async function createChangeFeed(
  target: DatabaseTarget,
  onError: (error: Error) => void = () => {},
): Promise<ChangeFeed> {
  const listeners = new Set<(event: ChangeEvent) => void>()
  const emit = (event: ChangeEvent) => {
    for (const listener of listeners) listener(event)
  }
  const subscribe = (listener: (event: ChangeEvent) => void) => {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }
  if (target.kind === 'sqlite') return { publish: emit, subscribe, close: async () => listeners.clear() }

  const channel = changeChannel(target.schema)
  let closed = false
  let listener: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined
  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: target.url })
    client.on('notification', (message) => {
      if (message.channel !== channel || message.payload === undefined) return
      try {
        emit(JSON.parse(message.payload) as ChangeEvent)
      } catch {
        // Not ours (someone else notifying on the channel): ignore.
      }
    })
    client.on('error', (error) => {
      onError(error)
      void client.end().catch(() => {})
      if (listener === client) listener = undefined
      if (!closed) retry = setTimeout(() => void listen().catch(onError), 1_000)
    })
    await client.connect()
    await client.query(`listen ${channel}`)
    if (closed) await client.end()
    else listener = client
  }
  await listen()

  // One publishing connection, opened on first use; notifications are tiny and in commit order.
  let publisher: Promise<pg.Client> | undefined
  const publish = (event: ChangeEvent) => {
    publisher ??= (async () => {
      const client = new pg.Client({ connectionString: target.url })
      client.on('error', (error) => {
        onError(error)
        publisher = undefined
      })
      await client.connect()
      return client
    })()
    void publisher
      .then((client) => client.query('select pg_notify($1, $2)', [channel, JSON.stringify(event)]))
      .catch((error: Error) => {
        publisher = undefined
        onError(error)
      })
  }
  return {
    publish,
    subscribe,
    close: async () => {
      closed = true
      clearTimeout(retry)
      listeners.clear()
      await listener?.end().catch(() => {})
      await (await publisher?.catch(() => undefined))?.end().catch(() => {})
    },
  }
}
