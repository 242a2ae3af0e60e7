import type { ChildProcess } from 'node:child_process'

/**
 * Every anvil this process started and has not yet stopped, keyed by the spawned child's pid (the
 * watchdog shell, see `startAnvil`), with anvil's own pid once known. Guards against leaks: they
 * are killed when this process exits for any reason Node can observe (normal end, uncaught error,
 * SIGINT, SIGTERM, SIGHUP). A SIGKILL of this process cannot be observed here; the watchdog shell
 * covers it (it kills anvil when our end of its stdin closes).
 */
const live = new Map<number, { child: ChildProcess; anvilPid: number | undefined }>()
let hooked = false

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

function kill(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

function killAll(): void {
  for (const [pid, { child, anvilPid }] of live) {
    // SIGKILL: at exit there is no time to wait for a graceful shutdown.
    kill(anvilPid)
    if (child.exitCode === null && child.signalCode === null) kill(pid)
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
 * @param child The spawned child (the watchdog shell, or anvil itself where there is no shell).
 * @param anvilPid anvil's pid when it differs from the child's (may be set later with this call).
 */
export function trackProcess(child: ChildProcess, anvilPid?: number): void {
  if (child.pid === undefined) return
  live.set(child.pid, { child, anvilPid: anvilPid ?? live.get(child.pid)?.anvilPid })
  hook()
}

/**
 * Forgets a child once it has exited; the exit hooks are removed when none is left.
 *
 * @param pid The spawned child's process id.
 */
export function forgetProcess(pid: number): void {
  live.delete(pid)
  if (live.size === 0) unhook()
}

/**
 * Process ids of the anvils still running (for tests that prove nothing leaks).
 *
 * @returns anvil's own pids (the spawned child's where anvil's is not known yet).
 */
export function trackedPids(): number[] {
  return [...live].map(([pid, { anvilPid }]) => anvilPid ?? pid)
}
