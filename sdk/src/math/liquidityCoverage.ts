import { divRound } from '../money/divRound.js'
import { WAD } from '../money/wad.js'
import type { PoolState } from '../state/PoolState.js'
import { type EvaluatePoolOptions, evaluatePool } from './evaluatePool.js'
import { ReserveMathError } from './ReserveMathError.js'

/** Options of {@link liquidityCoverage}. */
export type LiquidityCoverageOptions = EvaluatePoolOptions & {
  /** Observed net redemptions per chain and period (USD, 18 decimals), oldest first; negative = net issuance. */
  redemptions?: readonly { chainId: number; amountsUsd: readonly bigint[] }[]
  /** EWMA decay of the redemption forecast, WAD (default 0.94). */
  redemptionLambda?: bigint
  /** Horizon in periods of the redemption series (default 30, the LCR's 30 days for daily data). */
  horizonPeriods?: number
  /**
   * Forecast outflow per chain over the horizon (USD, 18 decimals), e.g. `stressedOutflowUsd` of the
   * risk module's `forecastPoolRedemptions`; replaces `H * max(0, EWMA)` for the chains it names.
   */
  forecastOutflowsUsd?: readonly { chainId: number; amountUsd: bigint }[]
  /** Stressed run-off: the share of a chain's liabilities assumed to leave within the horizon at least (WAD, default 10%). */
  runOffRate?: bigint
}

/** Liquidity coverage of one chain. USD values have 18 decimals; the ratio is WAD. */
export type ChainLiquidityCoverage = {
  chainId: number
  name: string
  liquidAdjustedReservesUsd: bigint
  liabilitiesUsd: bigint
  /** EWMA of observed net redemptions per period (may be negative). */
  ewmaOutflowUsd: bigint
  /** `max(0, ewma) * horizonPeriods`, or the given forecast for the chain. */
  forecastOutflowUsd: bigint
  /** `runOffRate * liabilitiesUsd`. */
  stressedOutflowUsd: bigint
  /** `max(forecast, stressed)`: the outflow covered. */
  outflowUsd: bigint
  /** `liquid / outflow` (WAD, rounded down); null when no outflow is expected. */
  coverageRatio: bigint | null
  /** Whether liquid reserves cover the outflow (ratio >= 1 or no outflow). */
  covered: boolean
}

/**
 * Liquidity coverage per chain (LCR-like): liquid adjusted reserves on chain c over the stressed
 * outflow expected on c within the horizon.
 *
 * Formula: `EWMA_t = lambda * EWMA_(t-1) + (1 - lambda) * x_t` (seeded with `x_0`) over observed net
 * redemptions `x`, `outflow_c = max(F_c, runOff * L_c)` with `F_c` the given forecast (e.g. a
 * stressed quantile from `forecastPoolRedemptions`) or else `H * max(0, EWMA_c)`,
 * `LCR_c = liquidAR_c / outflow_c`. Liquid = assets whose risk parameters are not `liquid: false`,
 * held on the chain (not in flight). Sources: Basel Committee, "Basel III: The Liquidity Coverage
 * Ratio and liquidity risk monitoring tools" (BCBS 238, 2013): HQLA over 30-day net stressed
 * outflows >= 100%; RiskMetrics (1996) for the EWMA.
 *
 * @param state - The pool state.
 * @param options - Redemption history, decay, horizon, run-off floor and `evaluatePool` options.
 * @returns One entry per chain of the state.
 * @example
 * ```ts
 * liquidityCoverage(state, { redemptions: [{ chainId: 1, amountsUsd: [10_000n * 10n ** 18n] }] })
 * ```
 */
export function liquidityCoverage(
  state: PoolState,
  options: LiquidityCoverageOptions = {},
): ChainLiquidityCoverage[] {
  const lambda = options.redemptionLambda ?? (94n * WAD) / 100n
  const horizon = options.horizonPeriods ?? 30
  const runOff = options.runOffRate ?? WAD / 10n
  if (lambda < 0n || lambda > WAD) {
    throw new ReserveMathError('Invalid redemptionLambda.', {
      details: `redemptionLambda = ${lambda}; expected 0 to 1e18 (WAD).`,
      metaMessages: ['0.94 is 940000000000000000n.'],
    })
  }
  if (!Number.isSafeInteger(horizon) || horizon <= 0) {
    throw new ReserveMathError('Invalid horizonPeriods.', {
      details: `horizonPeriods = ${String(horizon)}; expected a positive integer.`,
      metaMessages: ['30 periods of daily data is the LCR horizon.'],
    })
  }
  if (runOff < 0n || runOff > WAD) {
    throw new ReserveMathError('Invalid runOffRate.', {
      details: `runOffRate = ${runOff}; expected 0 to 1e18 (WAD).`,
      metaMessages: ['10% is 100000000000000000n.'],
    })
  }
  const chainIds = new Set(state.chains.map((c) => c.chainId))
  const series = new Map<number, readonly bigint[]>()
  for (const r of options.redemptions ?? []) {
    if (!chainIds.has(r.chainId)) {
      throw new ReserveMathError('Redemptions for an unknown chain.', {
        details: `redemptions chainId = ${r.chainId}; the state has ${[...chainIds].join(', ')}.`,
        metaMessages: ['Give redemption series only for chains of the state.'],
      })
    }
    series.set(r.chainId, r.amountsUsd)
  }
  const forecasts = new Map<number, bigint>()
  for (const f of options.forecastOutflowsUsd ?? []) {
    if (!chainIds.has(f.chainId) || f.amountUsd < 0n) {
      throw new ReserveMathError('Invalid forecast outflow.', {
        details: `forecastOutflowsUsd chainId = ${f.chainId}, amountUsd = ${f.amountUsd}; expected a chain of the state and an amount >= 0.`,
        metaMessages: ['Give one non-negative forecast per chain of the state.'],
      })
    }
    forecasts.set(f.chainId, f.amountUsd)
  }
  const evaluation = evaluatePool(state, { ...options, sensitivities: false })
  return evaluation.chains.map((c) => {
    const xs = series.get(c.chainId) ?? []
    let ewma = 0n
    xs.forEach((x, i) => {
      ewma = i === 0 ? x : divRound(lambda * ewma + (WAD - lambda) * x, WAD, 'ceil')
    })
    const forecast = forecasts.get(c.chainId) ?? (ewma > 0n ? ewma : 0n) * BigInt(horizon)
    const stressed = divRound(runOff * c.liabilitiesUsd, WAD, 'ceil')
    const outflow = forecast > stressed ? forecast : stressed
    const coverageRatio = outflow === 0n ? null : (c.liquidAdjustedReservesUsd * WAD) / outflow
    return {
      chainId: c.chainId,
      name: c.name,
      liquidAdjustedReservesUsd: c.liquidAdjustedReservesUsd,
      liabilitiesUsd: c.liabilitiesUsd,
      ewmaOutflowUsd: ewma,
      forecastOutflowUsd: forecast,
      stressedOutflowUsd: stressed,
      outflowUsd: outflow,
      coverageRatio,
      covered: coverageRatio === null || coverageRatio >= WAD,
    }
  })
}
