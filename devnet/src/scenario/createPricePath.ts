import { assetSpecs } from '../deploy/devnetUniverse.js'
import type { Prng } from './createPrng.js'
import type { ScenarioDefinition } from './scenarios.js'

/** Feed answers (8 decimals) per step, by asset symbol. */
export type PricePoint = Record<'USDC' | 'WETH' | 'WBTC', bigint>

const toAnswer = (price: number) => BigInt(Math.round(price * 1e8))

/** Yields the next price point each call; the crash is placed relative to `plannedSteps`. */
export type PricePath = { next(): PricePoint }

/**
 * Correlated price paths for the feeds. ETH and BTC follow a geometric random walk with correlated
 * normal log-returns (`r_btc = rho * z1 + sqrt(1 - rho^2) * z2`, the 2x2 Cholesky factor); USDC's
 * log-deviation from 1 mean-reverts (AR(1), phi = 0.8). A crash spreads the scenario's drops over
 * its `length` steps and pulls USDC to `usdcLow`, after which the peg recovers.
 *
 * @param def The scenario.
 * @param plannedSteps Length of the history (positions the crash); `next()` may go on beyond it.
 * @param rng Random source (consumed).
 * @returns The path.
 * @example
 * ```ts
 * const path = createPricePath(findScenario('crash'), 30, createPrng(1))
 * path.next().WETH // 8-decimal answer
 * ```
 */
export function createPricePath(def: ScenarioDefinition, plannedSteps: number, rng: Prng): PricePath {
  const start = Object.fromEntries(assetSpecs.map((a) => [a.symbol, Number(a.feed.initialAnswer) / 1e8]))
  let eth = start.WETH as number
  let btc = start.WBTC as number
  let usdcDev = 0
  const { eth: se, btc: sb, correlation: rho } = def.volatility
  const crashStart = def.crash ? Math.floor(def.crash.at * plannedSteps) : -1
  let s = -1
  const next = (): PricePoint => {
    s++
    const z1 = rng.normal()
    const z2 = rng.normal()
    let re = se * z1
    let rb = sb * (rho * z1 + Math.sqrt(1 - rho * rho) * z2)
    usdcDev = 0.8 * usdcDev + 0.0004 * rng.normal()
    if (def.crash && s >= crashStart && s < crashStart + def.crash.length) {
      re += Math.log(1 - def.crash.ethDrop) / def.crash.length
      rb += Math.log(1 - def.crash.btcDrop) / def.crash.length
      usdcDev = Math.log(def.crash.usdcLow)
    }
    eth *= Math.exp(re)
    btc *= Math.exp(rb)
    return { USDC: toAnswer(Math.exp(usdcDev)), WETH: toAnswer(eth), WBTC: toAnswer(btc) }
  }
  return { next }
}
