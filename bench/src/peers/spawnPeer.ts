import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { stopProcess } from '../chains/startAnvilChains.js'
import { BenchError } from '../errors/BenchError.js'
import { peakRss } from '../measure/peakRss.js'

/** A peer (indexer or floor) running in a child process, so its memory is its own. */
export type Peer = {
  process: ChildProcess
  /** Resolves with the first stdout line that parses as JSON and matches `test`; rejects if the child exits first. */
  waitForJson: <T>(test: (value: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<T>
  /** Peak RSS so far in bytes (VmHWM, last value read while the process was alive). */
  peakRss: () => number | undefined
  /** The last lines of stderr (for error messages). */
  stderrTail: () => string
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<void>
}

/** Peers still running, so an interrupted run can stop them (see {@link stopAllPeers}). */
const running = new Set<Peer>()

/** Stops every peer still running (on SIGINT/SIGTERM of the harness). */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...running].map((peer) => peer.stop()))
}

/**
 * Spawns a Node child (`node <args>`) and watches its stdout for JSON lines.
 *
 * @param name - peer name for errors.
 * @param args - arguments after `node`.
 * @param env - extra environment.
 * @param cwd - working directory.
 * @returns the {@link Peer}.
 * @example
 * const peer = spawnPeer('floor', ['--import', 'tsx', 'floorChild.ts', file])
 */
export function spawnPeer(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
): Peer {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const json: Record<string, unknown>[] = []
  const waiters = new Set<() => void>()
  let stderr = ''
  let lastPeak: number | undefined
  const sample = () => {
    lastPeak = peakRss(child.pid ?? -1) ?? lastPeak
  }
  const sampler = setInterval(sample, 250)
  createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on('line', (line) => {
    if (!line.startsWith('{')) return
    try {
      json.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      return
    }
    for (const w of waiters) w()
  })
  child.stderr?.on('data', (buf: Buffer) => {
    stderr = (stderr + buf.toString()).slice(-4000)
  })
  child.once('exit', () => {
    clearInterval(sampler)
    for (const w of waiters) w()
  })
  const peer: Peer = {
    process: child,
    peakRss: () => {
      sample()
      return lastPeak
    },
    stderrTail: () => stderr,
    waitForJson: <T>(test: (value: Record<string, unknown>) => boolean, timeoutMs = 30 * 60_000) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new BenchError(`${name} did not report in time.`, { details: stderr.slice(-1000) }))
        }, timeoutMs)
        const check = () => {
          const found = json.find(test)
          if (found) {
            clearTimeout(timer)
            waiters.delete(check)
            resolve(found as T)
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer)
            waiters.delete(check)
            reject(
              new BenchError(`${name} exited before reporting.`, {
                details: `exit ${child.exitCode ?? child.signalCode}; stderr: ${stderr.slice(-2000)}`,
              }),
            )
          }
        }
        waiters.add(check)
        check()
      }),
    stop: async () => {
      sample()
      await stopProcess(child)
      clearInterval(sampler)
      running.delete(peer)
    },
  }
  running.add(peer)
  return peer
}
