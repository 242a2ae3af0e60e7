import { readFileSync } from 'node:fs'

/**
 * Peak resident set size of a live process in bytes: `VmHWM` ("high water mark") from
 * `/proc/<pid>/status` on Linux. It only grows, so one read just before the process is stopped
 * gives the peak of its whole life. Returns `undefined` where /proc is missing (macOS) or the
 * process is gone.
 *
 * @param pid - the process id (`'self'` for this process).
 * @returns bytes, or `undefined`.
 * @example
 * const peak = peakRss(child.pid)
 */
export function peakRss(pid: number | 'self'): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
