import type { ApiDataSource } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import {
  backtestFigures,
  type RiskSubject,
  recommendationFigures,
  redemptionForecastFigures,
  trancheFigures,
} from '../figures/riskFigures.js'
import {
  formatBacktestTable,
  formatForecastTable,
  formatRecommendationsTable,
  formatTranchesTable,
} from './formatRiskTables.js'

/** What `ballast risk` computes, with the GraphQL fields' arguments. */
export type RiskCommandRequest =
  | ({ kind: 'backtest' } & Parameters<typeof backtestFigures>[1])
  | ({ kind: 'forecast' } & Parameters<typeof redemptionForecastFigures>[1])
  | ({ kind: 'recommend' } & Parameters<typeof recommendationFigures>[1])
  | ({ kind: 'tranches' } & Parameters<typeof trancheFigures>[1])

/**
 * `ballast risk backtest|forecast|recommend|tranches`: the pool's latest indexed state (and its
 * past states for backtests and forecasts) through a data source, the same figures as the GraphQL
 * fields, printed as a table.
 *
 * @param dataSource - where states come from (the indexer's database in the CLI).
 * @param poolId - the pool.
 * @param request - which figures, with their arguments.
 * @returns the figures and the table.
 * @example
 * ```ts
 * const { text } = await riskCommand(dataSource, poolId, { kind: 'recommend', target: 0.01, horizonDays: 10, paths: 10_000, seed: 1 })
 * ```
 */
export async function riskCommand(
  dataSource: ApiDataSource,
  poolId: string,
  request: RiskCommandRequest,
): Promise<{ figures: unknown; text: string }> {
  const [state] = await dataSource.loadPoolStates([{ poolId, time: {} }])
  if (state === undefined) {
    throw new ApiError('Unknown pool.', { code: 'NOT_FOUND', details: `No pool has id ${poolId}.` })
  }
  const subject: RiskSubject = {
    poolId,
    state,
    load: (times) => dataSource.loadPoolStates(times.map((at) => ({ poolId, time: { at } }))),
  }
  switch (request.kind) {
    case 'backtest': {
      const figures = await backtestFigures(subject, request)
      return { figures, text: formatBacktestTable(figures) }
    }
    case 'forecast': {
      const figures = await redemptionForecastFigures(subject, request)
      return { figures, text: formatForecastTable(figures) }
    }
    case 'recommend': {
      const figures = recommendationFigures(subject, request)
      return { figures, text: formatRecommendationsTable(figures) }
    }
    case 'tranches': {
      const figures = trancheFigures(subject, request)
      return { figures, text: formatTranchesTable(figures) }
    }
  }
}

/**
 * Parses `--tranche` values: `attachment:detachment` in USD (exact decimals), e.g. `0:1000000`.
 *
 * @param values - the option's values.
 * @returns the tranches.
 * @throws ApiError naming the bad value.
 * @example
 * ```ts
 * parseTrancheOptions(['0:1000000', '1000000:5000000.5'])
 * ```
 */
export function parseTrancheOptions(
  values: readonly string[],
): { attachmentUsd: string; detachmentUsd: string }[] {
  if (values.length === 0) {
    throw new ApiError('Give at least one --tranche.', {
      metaMessages: ['E.g. --tranche 0:1000000 --tranche 1000000:5000000 (USD).'],
    })
  }
  return values.map((v) => {
    const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(v)
    if (m === null) {
      throw new ApiError('Invalid --tranche.', {
        details: `--tranche ${v}`,
        metaMessages: ['Write attachment:detachment in USD, e.g. 0:1000000.'],
      })
    }
    return { attachmentUsd: m[1]!, detachmentUsd: m[2]! }
  })
}
