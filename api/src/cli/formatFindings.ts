import type { ConfigFinding } from '@ballast/indexer'

/**
 * Renders `ballast config check`'s findings as an aligned text table (status, chain, check,
 * field, detail), failures first within each chain's order, and a summary line.
 *
 * @param findings What `checkConfigOnChain` found.
 * @returns The table and the summary.
 * @example
 * ```ts
 * io.out(formatFindings(await checkConfigOnChain(config)))
 * ```
 */
export function formatFindings(findings: readonly ConfigFinding[]): string {
  const header = ['status', 'chain', 'check', 'field', 'detail']
  const rows = findings.map((f) => [f.status.toUpperCase(), f.chain, f.check, f.field, f.detail])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd()
  const count = (status: ConfigFinding['status']) => findings.filter((f) => f.status === status).length
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${count('ok')} ok, ${count('warn')} warnings, ${count('fail')} failures`,
  ].join('\n')
}
