/**
 * A plain-text table: a header row, a rule, then the rows, each column padded to its widest cell
 * (numbers and other cells right-aligned where `align` says `right`).
 *
 * @param headers - column titles.
 * @param rows - cells, one array per row (as many as headers).
 * @param align - per column, `left` (default) or `right`.
 * @returns the table as lines of text.
 * @example
 * ```ts
 * formatTable(['asset', 'zone'], [['WETH', 'green']]) // 'asset  zone\n-----  -----\nWETH   green'
 * ```
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
