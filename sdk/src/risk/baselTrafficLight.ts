import { binomialCdf } from './binomialCdf.js'

/** A Basel traffic-light zone. */
export type TrafficLightZone = 'green' | 'yellow' | 'red'

/** The zone of an exception count and the zone limits for the sample. */
export type TrafficLight = {
  zone: TrafficLightZone
  /** Largest exception count in the green zone. */
  greenMax: number
  /** Largest exception count in the yellow zone. */
  yellowMax: number
  /** `P(X <= exceptions)` under a correct model, `X ~ B(n, p)`. */
  cumulativeProbability: number
}

/**
 * The Basel traffic-light zone of a VaR backtest, from the binomial distribution of exceptions
 * under a correct model: green while `P(X <= x) < 95%`, yellow while `P(X <= x) < 99.99%`, red
 * beyond (0 exceptions are always green). For 250 days at 99% this gives green 0-4, yellow 5-9, red 10 or more.
 * Source: Basel Committee, "Supervisory framework for the use of backtesting in conjunction with
 * the internal models approach to market risk capital requirements" (1996), table 1.
 *
 * @param observations - Number of backtest days `n`.
 * @param exceptions - Exceptions `x`.
 * @param probability - Exception probability of the model `p` (0.01 for a 99% VaR).
 * @returns The zone and its limits.
 * @example
 * ```ts
 * baselTrafficLight(250, 5, 0.01).zone // 'yellow'
 * ```
 */
export function baselTrafficLight(
  observations: number,
  exceptions: number,
  probability: number,
): TrafficLight {
  const cumulativeProbability = binomialCdf(exceptions, observations, probability)
  let greenMax = -1
  let yellowMax = -1
  for (let k = 0; k <= observations; k++) {
    const c = binomialCdf(k, observations, probability)
    if (c < 0.95) greenMax = k
    if (c < 0.9999) yellowMax = k
    else break
  }
  // No exception is never evidence against a model, even in samples too short for a 95% bound.
  greenMax = Math.max(0, greenMax)
  yellowMax = Math.max(greenMax, yellowMax)
  const zone = exceptions <= greenMax ? 'green' : exceptions <= yellowMax ? 'yellow' : 'red'
  return { zone, greenMax, yellowMax, cumulativeProbability }
}
