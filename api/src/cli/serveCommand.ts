import type { ResolvedIndexerConfig } from '@ballast/indexer'
import { type ServedBallast, serveBallast } from '../serveBallast.js'
import type { ServerLimits } from '../server/serveApi.js'
import type { CliIo } from './runCli.js'
import { defaultDashboardDir, printSummary } from './startCommand.js'
import { untilSignal } from './untilSignal.js'

/** Options of {@link serveCommand}. */
export type ServeCommandOptions = {
  config: ResolvedIndexerConfig
  host: string
  port: number
  /** HTTP timeouts and the connection bound (`--max-connections` etc.; defaults: `defaultServerLimits`). */
  serverLimits?: Partial<ServerLimits> | undefined
  io: CliIo
  /** Resolves when the command should stop (default: SIGINT or SIGTERM). */
  until?: Promise<void>
  /** Called once the server listens (tests query it here). */
  onReady?: (served: ServedBallast) => void
}

/**
 * `ballast serve`: the GraphQL API alone over a database that `ballast index` writes, until
 * SIGINT or SIGTERM. Prints where to look and each pool's health summary (as `ballast start`). Several can run behind a load balancer on one PostgreSQL database.
 *
 * @param options - config, listen address, where to print.
 * @returns when stopped.
 * @example
 * ```ts
 * await serveCommand({ config, host: '127.0.0.1', port: 4000, io: processIo })
 * ```
 */
export async function serveCommand(options: ServeCommandOptions): Promise<void> {
  const { io } = options
  const signals = options.until === undefined ? untilSignal(io) : undefined
  const until = options.until ?? (signals as { received: Promise<void> }).received
  let served: ServedBallast | undefined
  try {
    served = await serveBallast({
      config: options.config,
      host: options.host,
      port: options.port,
      ...(options.serverLimits === undefined ? {} : { serverLimits: options.serverLimits }),
      api: { dashboardDir: defaultDashboardDir },
    })
    io.out(
      [
        'Ballast API is serving (read-only; `ballast index` writes the database).',
        `  dashboard               ${served.origin}/`,
        `  GraphQL API + GraphiQL  ${served.url}`,
        `  health                  ${served.origin}/healthz`,
        `  Prometheus metrics      ${served.origin}/metrics`,
      ].join('\n'),
    )
    await printSummary(served, io)
    io.out('\nPress Ctrl-C to stop.')
    options.onReady?.(served)
    await until
    io.out('Stopping…')
  } finally {
    try {
      await served?.stop()
    } finally {
      signals?.release()
    }
  }
  io.out('Stopped.')
}
