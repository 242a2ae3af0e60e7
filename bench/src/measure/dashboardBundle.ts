import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** First-load budget of the dashboard, gzipped JavaScript (issue 18). */
export const firstLoadBudgetBytes = 250 * 1024

/** One built file of the dashboard. */
export type DashboardChunk = {
  /** Path inside the build, `assets/index-abc.js`. */
  file: string
  raw: number
  /** Gzipped size: what `ballast start` sends to a browser that accepts gzip. */
  gzip: number
  /** Loaded by index.html before the page runs (a module script, preload or stylesheet). */
  first: boolean
}

/** The dashboard's build measured against its budget. */
export type DashboardBundle = {
  chunks: DashboardChunk[]
  /** Gzipped JavaScript of the first load. */
  firstLoadJsGzip: number
  withinBudget: boolean
}

/**
 * Measures a built dashboard (`web/dist`): each file of `assets/`, raw and gzipped, and whether
 * index.html loads it up front; chunks loaded later (the Monte Carlo worker) do not count against
 * the budget.
 *
 * @param dist - the build's folder (holding index.html and assets/).
 * @returns the chunks, the first load's gzipped JavaScript and whether it is within budget.
 * @example
 * ```ts
 * measureDashboardBundle('web/dist').firstLoadJsGzip // 131072
 * ```
 */
export function measureDashboardBundle(dist: string): DashboardBundle {
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const firstLoad = new Set(
    [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string),
  )
  const chunks = readdirSync(join(dist, 'assets')).map((name) => {
    const file = `assets/${name}`
    const body = readFileSync(join(dist, file))
    return { file, raw: body.byteLength, gzip: gzipSync(body).byteLength, first: firstLoad.has(file) }
  })
  const firstLoadJsGzip = chunks
    .filter((c) => c.first && c.file.endsWith('.js'))
    .reduce((sum, c) => sum + c.gzip, 0)
  return { chunks, firstLoadJsGzip, withinBudget: firstLoadJsGzip <= firstLoadBudgetBytes }
}
