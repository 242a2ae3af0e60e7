import type { CliIo } from './runCli.js'

/**
 * Resolves on the first SIGINT or SIGTERM. A listener stays installed until `release()` so that a
 * second Ctrl-C (the terminal signals the whole process group, and tsx relays it once more) does
 * not fall through to Node's default and kill the process halfway through a clean shutdown.
 */
export function untilSignal(io: CliIo): { received: Promise<void>; release: () => void } {
  let first = true
  let resolve: () => void = () => {}
  const received = new Promise<void>((r) => {
    resolve = r
  })
  const listener = () => {
    if (first) {
      first = false
      resolve()
    } else io.err('Still stopping cleanly…')
  }
  process.on('SIGINT', listener)
  process.on('SIGTERM', listener)
  return {
    received,
    release: () => {
      process.off('SIGINT', listener)
      process.off('SIGTERM', listener)
    },
  }
}
