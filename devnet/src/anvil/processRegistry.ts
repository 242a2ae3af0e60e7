import type { ChildProcess } from 'node:child_process'

/**
 * Every anvil this process started and has not yet stopped. Guards against leaks: the children are
 * killed when this process exits for any reason Node can observe (normal end, uncaught error,
 * SIGINT, SIGTERM, SIGHUP). A SIGKILL of this process cannot be observed; nothing can clean up then.
 */
const live = new Map<number, ChildProcess>()
let hooked = false

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

function killAll(): void {
  for (const [pid, child] of live) {
    // SIGKILL: at exit there is no time to wait for a graceful shutdown.
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  live.clear()
}

function onSignal(signal: NodeJS.Signals): void {
  killAll()
  // Our listener replaced Node's default (exit); restore it if we are the only listener and re-raise
  // so the process ends with the conventional status for the signal.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal)
    process.kill(process.pid, signal)
  }
}

function hook(): void {
  if (hooked) return
  hooked = true
  process.on('exit', killAll)
  for (const s of signals) process.on(s, onSignal)
}

function unhook(): void {
  if (!hooked) return
  hooked = false
  process.removeListener('exit', killAll)
  for (const s of signals) process.removeListener(s, onSignal)
}

/**
 * Registers a started child so it is killed if this process ends before `forgetProcess`.
 *
 * @param child The spawned anvil.
 */
export function trackProcess(child: ChildProcess): void {
  if (child.pid === undefined) return
  live.set(child.pid, child)
  hook()
}

/**
 * Forgets a child once it has exited; the exit hooks are removed when none is left.
 *
 * @param pid The child's process id.
 */
export function forgetProcess(pid: number): void {
  live.delete(pid)
  if (live.size === 0) unhook()
}

/**
 * Process ids of the anvils still running (for tests that prove nothing leaks).
 *
 * @returns The pids.
 */
export function trackedPids(): number[] {
  return [...live.keys()]
}
