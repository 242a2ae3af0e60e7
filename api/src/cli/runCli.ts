import { BaseError } from '@ballast/sdk'

/** Where the CLI writes: injectable so tests read what a command prints. */
export type CliIo = {
  out: (text: string) => void
  err: (text: string) => void
}

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}

/**
 * Runs a command's action and turns a thrown error into a printed message and exit code 1: a
 * `BaseError` prints its short message, details and hints; anything else its message. No stack
 * traces (they are for bug reports; set BALLAST_DEBUG=1 to see them).
 *
 * @param io - where to print.
 * @param action - the command's work.
 * @returns a commander action.
 * @example
 * ```ts
 * program.command('prove').action(runCli(io, async () => { ... }))
 * ```
 */
export function runCli<A extends unknown[]>(
  io: CliIo,
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args)
    } catch (error) {
      const message =
        error instanceof BaseError
          ? error.message
          : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
      io.err(`error: ${message}`)
      if (process.env.BALLAST_DEBUG === '1' && error instanceof Error && error.stack) io.err(error.stack)
      process.exitCode = 1
    }
  }
}
