/**
 * Collects the failures of a peer's optional parts (live latency, API load) so that one failing
 * part keeps the peer's other figures in the table; the run still fails at the end.
 *
 * @returns `attempt(what, fn)` (undefined when `fn` throws) and the `status` to report.
 * @example
 * const problems = createProblems()
 * const ms = await problems.attempt('live latency', () => liveLatency(chain, visible))
 * return { status: problems.status() }
 */
export function createProblems() {
  const problems: string[] = []
  return {
    attempt: async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn()
      } catch (error) {
        const { message, details } = error as Error & { details?: string }
        problems.push(`${what}: ${message.split('\n')[0]}${details ? ` (${details.slice(0, 300)})` : ''}`)
        return undefined
      }
    },
    status: () => (problems.length === 0 ? 'done' : `failed: ${problems.join('; ')}`),
  }
}
