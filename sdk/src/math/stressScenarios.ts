/**
 * A deterministic stress scenario: price shocks, depegs and a redemption run, applied together
 * (prices first, then redemptions paid out of the shocked reserves).
 */
export type StressScenario = {
  /** Stable identifier (kebab-case), e.g. `eth-crash-40`. */
  name: string
  description: string
  /** Relative price moves by erc20 symbol, WAD, signed: `-400_000_000_000_000_000n` is a 40% fall. */
  priceShocks?: Readonly<Record<string, bigint>>
  /** Prices set outright by symbol (USD per whole token, 18 decimals), e.g. a stablecoin at 0.87. */
  depegs?: Readonly<Record<string, bigint>>
  /**
   * Fraction of every member's liabilities redeemed during the stress (WAD). Redemptions are paid
   * at par out of the member's reserves pro rata: adjusted reserves fall by the amount paid (a
   * forced sale at the haircut), liabilities by the run-off.
   */
  runOffRate?: bigint
}

const pct = (x: number): bigint => BigInt(Math.round(x * 100)) * 10n ** 14n

/**
 * Named scenarios the API and frontends can offer. Magnitudes follow observed episodes: ETH fell
 * about 40% in a week (June 2022) and 43% in a day (March 2020); USDC traded near 0.87 USD on
 * 11 March 2023 (SVB); USDT near 0.95 USD on 12 May 2022; Basel III LCR run-off rates of 10% and
 * more for less stable funding. Symbols that a state lacks are reported as unmatched, not an error.
 */
export const stressScenarios: readonly StressScenario[] = [
  {
    name: 'eth-crash-40',
    description: 'ETH falls 40%.',
    priceShocks: { WETH: -pct(40), ETH: -pct(40) },
  },
  {
    name: 'btc-crash-40',
    description: 'BTC falls 40%.',
    priceShocks: { WBTC: -pct(40), BTC: -pct(40) },
  },
  {
    name: 'crypto-crash',
    description: 'ETH falls 50% and BTC 45% together.',
    priceShocks: { WETH: -pct(50), ETH: -pct(50), WBTC: -pct(45), BTC: -pct(45) },
  },
  {
    name: 'usdc-depeg',
    description: 'USDC trades at 0.87 USD (its low of March 2023).',
    depegs: { USDC: pct(87) },
  },
  {
    name: 'usdt-depeg',
    description: 'USDT trades at 0.95 USD (its low of May 2022).',
    depegs: { USDT: pct(95) },
  },
  {
    name: 'redemption-run',
    description: '25% of every liability is redeemed, paid from reserves.',
    runOffRate: pct(25),
  },
  {
    name: 'combined',
    description: 'ETH -40%, BTC -35%, USDC at 0.90 USD and a 20% redemption run.',
    priceShocks: { WETH: -pct(40), ETH: -pct(40), WBTC: -pct(35), BTC: -pct(35) },
    depegs: { USDC: pct(90) },
    runOffRate: pct(20),
  },
]

/** Names of `stressScenarios`, for API enums. */
export const stressScenarioNames: readonly string[] = stressScenarios.map((s) => s.name)
